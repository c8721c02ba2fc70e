package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.backgroundjobs.ebs.Snapshots;
import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.model.RecoveryPointLockedException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A recovery point leaves the vault: the catalog's retention expired it ({@link RecoveryPointExpired}) or a tenant
 * deleted it ({@link RecoveryPointDeleted}). Either way the engine forgets it (its data goes at the vault's next
 * maintenance), the snapshots the connector took that only it needed are deleted, and it stops being a restore
 * source and an incremental base. An expiry carried out is announced as {@link RecoveryPointDeleted}, so the catalog
 * and the inventory see the point gone.
 *
 * <p>Each step may run twice (redelivery) and the two events may come in any order or more than once: the manifest
 * is forgotten only while present, a snapshot already gone is fine, the state only moves forward (a late expiry never
 * undoes a deletion), and the point is marked last so a failed step is retried by the redelivery.
 */
@Component
class RecoveryPointRemoval {

    private static final Logger log = LoggerFactory.getLogger(RecoveryPointRemoval.class);

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final Snapshots snapshots;
    private final EventPublisher events;

    RecoveryPointRemoval(
            RecoveryPointStore points,
            VaultDirectory vaults,
            VaultRepositories repositories,
            Snapshots snapshots,
            EventPublisher events) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.snapshots = snapshots;
        this.events = events;
    }

    /** Handles one {@code RecoveryPointExpired} (registered with the inbox in {@code RecoveryPointEvents}). */
    void expired(EventEnvelope envelope, RecoveryPointExpired event) {
        if (remove(event.recoveryPointId(), event.vaultId(), RecoveryPointStatus.EXPIRED)) {
            events.publish(
                    new RecoveryPointDeleted(event.recoveryPointId(), event.vaultId(), event.assetId(), 0),
                    envelope.correlationId());
        }
    }

    /** Handles one {@code RecoveryPointDeleted}; the ones this service published come back as no-ops. */
    void deleted(EventEnvelope envelope, RecoveryPointDeleted event) {
        remove(event.recoveryPointId(), event.vaultId(), RecoveryPointStatus.DELETED);
    }

    /**
     * Forgets the point in its vault, deletes its snapshots and marks it {@code to}.
     *
     * @return false when the vault is unknown to this service (nothing was done)
     */
    private boolean remove(String id, String vaultId, RecoveryPointStatus to) {
        var vault = vaults.find(vaultId).orElse(null);
        if (vault == null) {
            log.info("Ignoring the {} of {}: vault {} is unknown to the background jobs", to.wireName(), id, vaultId);
            return false;
        }
        if (vault.active()) {
            forget(vault, id);
        }
        var point = points.find(id).orElse(null);
        if (point == null) {
            // Not written by this connector's backups (a rebuilt catalog row, say): forgotten above all the same.
            log.info("{} of {} carried out in the vault; no backup record of it here", to.wireName(), id);
            return true;
        }
        snapshots.deleteQuietly(vault.region(), onlyItsOwn(point));
        if (points.markRemoved(id, to)) {
            log.info("Recovery point {} {}: forgotten in vault {}", id, to.wireName(), vaultId);
        }
        return true;
    }

    private void forget(Vault vault, String id) {
        var repository = repositories.open(vault);
        // The manifest's key is fixed by the storage format; absent means forgotten already (a redelivery).
        if (repository.store().stat(manifestKey(id)).isEmpty()) {
            return;
        }
        try {
            repository.forget(id);
        } catch (RecoveryPointLockedException e) {
            // Object Lock still protects it: not forgotten yet. The point is marked removed all the same, and the
            // vault's maintenance forgets it once its lock ends (it forgets every removed point the repository still
            // holds); a redelivery would change nothing, so the event is not failed into a retry.
            log.info(
                    "Recovery point {} stays in vault {} until its lock ends ({}{}); maintenance forgets it then",
                    id,
                    vault.id(),
                    e.lockedUntil(),
                    e.legalHold() ? ", under legal hold" : "");
        } catch (ScalezException e) {
            if (repository.store().stat(manifestKey(id)).isPresent()) {
                throw e;
            }
            // Forgotten by a concurrent delivery between the look and the forget.
        }
    }

    /** The snapshots the connector took for {@code point} that no other available point of the asset refers to. */
    private List<String> onlyItsOwn(KnownRecoveryPoint point) {
        Set<String> stillNeeded = new HashSet<>();
        for (KnownRecoveryPoint other : points.availableOf(point.vaultId(), point.assetId())) {
            if (!other.id().equals(point.id())) {
                other.volumes().forEach(v -> stillNeeded.add(v.snapshotId()));
            }
        }
        return point.volumes().stream()
                .filter(BackedUpVolume::snapshotOwned)
                .map(BackedUpVolume::snapshotId)
                .filter(snapshot -> !stillNeeded.contains(snapshot))
                .toList();
    }

    static String manifestKey(String id) {
        return "snapshots/" + id;
    }
}
