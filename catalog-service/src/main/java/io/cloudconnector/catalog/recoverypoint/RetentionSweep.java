package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.catalog.vault.RetentionSettings;
import io.cloudconnector.catalog.vault.Vault;
import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.catalog.vault.VaultStatus;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.model.SourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies each active vault's retention policy on a schedule: per asset, the points the policy does not
 * keep are marked expired and announced with {@link RecoveryPointExpired} (the background jobs forget them
 * and a prune reclaims their data). A point still held by the vault's Object Lock waits for a later sweep.
 * Running it twice, or on two replicas, expires each point once: the state change is conditional.
 */
@Component
class RetentionSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final VaultRepository vaults;
    private final RecoveryPointRepository points;
    private final EventPublisher events;
    private final Clock clock;

    RetentionSweep(VaultRepository vaults, RecoveryPointRepository points, EventPublisher events, Clock clock) {
        this.vaults = vaults;
        this.points = points;
        this.events = events;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${connector.vaults.retention-sweep-interval:1h}",
            initialDelayString = "${connector.vaults.retention-sweep-interval:1h}")
    void sweepAll() {
        for (Vault vault : vaults.inStatus(VaultStatus.ACTIVE)) {
            if (vault.retention() != null) {
                try {
                    sweep(vault);
                } catch (RuntimeException e) {
                    log.warn("Retention sweep of vault {} stopped: {}", vault.id(), e.getMessage(), e);
                }
            }
        }
    }

    /** Expires what the vault's policy does not keep; returns the ids it expired. */
    List<String> sweep(Vault vault) {
        RetentionSettings settings = vault.retention();
        if (settings == null || settings.isEmpty()) {
            return List.of();
        }
        var policy = new RetentionPolicy(
                settings.keepLast(),
                0,
                settings.keepDaily(),
                settings.keepWeekly(),
                settings.keepMonthly(),
                settings.keepYearly());
        List<RecoveryPoint> available = points.allOf(vault.id()).stream()
                .filter(p -> p.state() == RecoveryPointState.AVAILABLE)
                .toList();
        // The engine groups by kind and source; here the source is the asset, so each asset is judged alone.
        Set<String> keep = policy.keep(available.stream()
                .map(p -> new io.cloudconnector.scalez.model.RecoveryPoint(
                        p.id(),
                        SourceKind.BLOCK,
                        p.createdAt(),
                        p.parentRecoveryPointId(),
                        p.assetId(),
                        Map.of(),
                        p.logicalBytes(),
                        0,
                        0,
                        Duration.ZERO))
                .toList());
        var now = clock.instant();
        List<String> expired = new ArrayList<>();
        for (RecoveryPoint point : available) {
            if (keep.contains(point.id())) {
                continue;
            }
            if (vault.objectLock() != null
                    && vault.objectLock().heldUntil(point.createdAt()).isAfter(now)) {
                continue;
            }
            if (points.transition(point.id(), vault.id(), RecoveryPointState.EXPIRED, now)) {
                events.publish(new RecoveryPointExpired(point.id(), vault.id(), point.assetId()), null);
                expired.add(point.id());
            }
        }
        if (!expired.isEmpty()) {
            log.info("Retention of vault {} expired {} recovery points", vault.id(), expired.size());
        }
        return expired;
    }
}
