package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Clock;
import org.springframework.stereotype.Service;

/** Reading and deleting recovery points. */
@Service
class RecoveryPointService {

    private final RecoveryPointRepository points;
    private final VaultRepository vaults;
    private final EventPublisher events;
    private final Clock clock;

    RecoveryPointService(RecoveryPointRepository points, VaultRepository vaults, EventPublisher events, Clock clock) {
        this.points = points;
        this.vaults = vaults;
        this.events = events;
        this.clock = clock;
    }

    Page<RecoveryPoint> list(RecoveryPointRepository.Filter filter, PageRequest page) {
        return points.list(filter, page);
    }

    /** A point in any state, deleted ones included (they are not listed, but their id keeps answering). */
    RecoveryPoint get(String id) {
        return points.find(id).orElseThrow(() -> new NotFoundException("Recovery point", id));
    }

    /**
     * Marks a point deleted and says so on the bus: the background jobs forget it in the vault and delete its
     * snapshots, the inventory stops naming it, and the vault's next maintenance reclaims its data. Refused while its
     * vault's Object Lock still holds the point's objects. Deleting a deleted point again answers it as it is.
     */
    RecoveryPoint delete(String id) {
        return delete(id, false);
    }

    /**
     * As {@link #delete(String)}; {@code lockCheckedByEngine}: the caller read the point's lock from the engine's
     * records and found it ended (a lock lifted or shortened through the API), so the vault's setting (created +
     * days) does not refuse it.
     */
    RecoveryPoint delete(String id, boolean lockCheckedByEngine) {
        var point = get(id);
        if (point.state() == RecoveryPointState.DELETED) {
            return point;
        }
        var now = clock.instant();
        var vault = vaults.find(point.vaultId()).orElse(null);
        if (!lockCheckedByEngine && vault != null && vault.objectLock() != null) {
            var heldUntil = vault.objectLock().heldUntil(point.createdAt());
            if (heldUntil.isAfter(now)) {
                throw new ConflictException(
                        "lockedUntil",
                        "Recovery point " + id + " is held by the vault's Object Lock ("
                                + vault.objectLock().mode().name().toLowerCase(java.util.Locale.ROOT) + ") until "
                                + heldUntil);
            }
        }
        if (!points.transition(id, point.vaultId(), RecoveryPointState.DELETED, now)) {
            throw new NotFoundException("Recovery point", id);
        }
        events.publish(new RecoveryPointDeleted(id, point.vaultId(), point.assetId(), 0), null);
        return points.find(id).orElseThrow();
    }
}
