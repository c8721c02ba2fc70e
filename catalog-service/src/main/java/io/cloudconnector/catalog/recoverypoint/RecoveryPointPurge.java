package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.catalog.vault.VaultRecoveryPoints;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.messaging.EventPublisher;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Deletes every recovery point of a vault being purged, as {@code DELETE /v1/recovery-points/{id}} deletes one but
 * without the Object Lock check (the purge checked the vault's newest lock). Each deletion is announced before the
 * row changes, so a purge interrupted between the two announces it again when it is resumed (the consumers are
 * idempotent) and none is left unannounced.
 */
@Component
class RecoveryPointPurge implements VaultRecoveryPoints {

    private final RecoveryPointRepository points;
    private final EventPublisher events;
    private final Clock clock;

    RecoveryPointPurge(RecoveryPointRepository points, EventPublisher events, Clock clock) {
        this.points = points;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public int deleteAll(String vaultId) {
        int deleted = 0;
        for (RecoveryPoint point : points.allOf(vaultId)) {
            events.publish(new RecoveryPointDeleted(point.id(), vaultId, point.assetId(), 0), null);
            if (points.transition(point.id(), vaultId, RecoveryPointState.DELETED, clock.instant())) {
                deleted++;
            }
        }
        return deleted;
    }
}
