package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.backgroundjobs.ebs.Snapshots;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.RecoveryPointExpired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The catalog's retention expired a recovery point: forget it in the vault (its data goes at the next prune),
 * delete the snapshots the connector took for it, and stop using it. Each step may run twice (redelivery), so
 * the point is marked expired last.
 */
@Component
class RecoveryPointExpiry {

    private static final Logger log = LoggerFactory.getLogger(RecoveryPointExpiry.class);

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final Snapshots snapshots;

    RecoveryPointExpiry(
            RecoveryPointStore points, VaultDirectory vaults, VaultRepositories repositories, Snapshots snapshots) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.snapshots = snapshots;
    }

    /** Handles one {@code RecoveryPointExpired} (registered with the inbox in {@code RecoveryPointEvents}). */
    void handle(EventEnvelope envelope, RecoveryPointExpired event) {
        var point = points.find(event.recoveryPointId()).orElse(null);
        var vault = vaults.find(event.vaultId()).orElse(null);
        if (point == null || vault == null) {
            log.info(
                    "Ignoring the expiry of {}: not written by this connector's background jobs",
                    event.recoveryPointId());
            return;
        }
        if (vault.active()) {
            var repository = repositories.open(vault);
            // The manifest's key is fixed by the storage format; absent means forgotten already (a redelivery).
            if (repository.store().stat("snapshots/" + point.id()).isPresent()) {
                repository.forget(point.id());
            }
        }
        var region = vault.region();
        snapshots.deleteQuietly(
                region,
                point.volumes().stream()
                        .filter(BackedUpVolume::snapshotOwned)
                        .map(BackedUpVolume::snapshotId)
                        .toList());
        points.markExpired(point.id());
    }
}
