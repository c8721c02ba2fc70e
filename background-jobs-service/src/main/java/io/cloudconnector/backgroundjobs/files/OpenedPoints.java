package io.cloudconnector.backgroundjobs.files;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.scalez.ScalezException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The recovery points opened for browsing, kept open between requests: at most {@code connector.files.open-points}
 * of them (default 8), each reading through at most {@code connector.files.readers-per-point} engine readers (default
 * 4, each caching up to 8 chunks of 512 KiB), so the memory they hold is bounded (8 × 4 × 4 MiB by default). A point
 * not used for {@code connector.files.idle} (default 5 minutes) is closed; so is the least recently used one when a
 * new one needs its place.
 */
@Component
class OpenedPoints {

    private static final Logger log = LoggerFactory.getLogger(OpenedPoints.class);

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final int readersPerPoint;
    private final Cache<String, OpenedPoint> open;

    OpenedPoints(
            RecoveryPointStore points,
            VaultDirectory vaults,
            VaultRepositories repositories,
            @Value("${connector.files.open-points:8}") int openPoints,
            @Value("${connector.files.readers-per-point:4}") int readersPerPoint,
            @Value("${connector.files.idle:PT5M}") Duration idle) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.readersPerPoint = readersPerPoint;
        this.open = Caffeine.newBuilder()
                .maximumSize(openPoints)
                .expireAfterAccess(idle)
                .scheduler(Scheduler.systemScheduler())
                .removalListener(OpenedPoints::closed)
                .build();
    }

    /**
     * The point {@code id}, opened (or the one already open): 404 for an unknown id, 409 for a point that is expired,
     * deleted, in a deleted vault or not yet complete in its vault.
     */
    OpenedPoint get(String id) {
        if (!Ids.isValid(IdKind.RECOVERY_POINT, id)) {
            throw new NotFoundException("Recovery point", id);
        }
        var point = points.find(id).orElseThrow(() -> new NotFoundException("Recovery point", id));
        if (!point.available()) {
            open.invalidate(id);
            throw new ConflictException(
                    "Recovery point " + id + " is " + point.status().wireName() + ": its files cannot be read");
        }
        var vault = vaults.find(point.vaultId()).filter(v -> v.active()).orElse(null);
        if (vault == null) {
            open.invalidate(id);
            throw new ConflictException("The vault of " + id + ", " + point.vaultId() + ", is deleted");
        }
        return open.get(id, key -> openPoint(point, repositories.open(vault)));
    }

    private OpenedPoint openPoint(KnownRecoveryPoint point, io.cloudconnector.scalez.repo.Repository repository) {
        try {
            repository.recoveryPoint(point.id());
        } catch (ScalezException e) {
            throw new ConflictException("Recovery point " + point.id()
                    + " is not complete in its vault (still being written, or being deleted): " + e.getMessage());
        }
        long started = System.nanoTime();
        var opened = OpenedPoint.open(repository, point, readersPerPoint);
        log.info(
                "Opened {} for browsing in {} ms: {} volume(s)",
                point.id(),
                (System.nanoTime() - started) / 1_000_000,
                opened.volumes().size());
        return opened;
    }

    /** How many points are open now (tests, and the bench). */
    long size() {
        open.cleanUp();
        return open.estimatedSize();
    }

    private static void closed(@Nullable String id, @Nullable OpenedPoint point, RemovalCause cause) {
        if (point != null) {
            point.close();
            log.debug("Closed {} ({})", id, cause);
        }
    }
}
