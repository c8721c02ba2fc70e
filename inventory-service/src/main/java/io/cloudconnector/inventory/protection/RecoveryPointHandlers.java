package io.cloudconnector.inventory.protection;

import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.inventory.asset.ProtectionStatuses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inbox handlers of the recovery-point events: each one folds its event into {@link RecoveryPoints}, then
 * settles the asset's protection status ({@link ProtectionStatuses}); a restore test changes the newest tested point
 * only, not the status.
 */
@Configuration(proxyBeanMethods = false)
class RecoveryPointHandlers {

    @Bean
    EventHandler<RecoveryPointCreated> recoveryPointCreatedHandler(
            RecoveryPoints recoveryPoints, ProtectionStatuses statuses) {
        return EventHandler.of(RecoveryPointCreated.class, (envelope, event) -> {
            recoveryPoints.created(event);
            statuses.recoveryPointsChanged(event.assetId());
        });
    }

    @Bean
    EventHandler<RecoveryPointDeleted> recoveryPointDeletedHandler(
            RecoveryPoints recoveryPoints, ProtectionStatuses statuses) {
        return EventHandler.of(RecoveryPointDeleted.class, (envelope, event) -> {
            recoveryPoints.deleted(event);
            statuses.recoveryPointsChanged(event.assetId());
        });
    }

    @Bean
    EventHandler<RecoveryPointExpired> recoveryPointExpiredHandler(
            RecoveryPoints recoveryPoints, ProtectionStatuses statuses) {
        return EventHandler.of(RecoveryPointExpired.class, (envelope, event) -> {
            recoveryPoints.expired(event);
            statuses.recoveryPointsChanged(event.assetId());
        });
    }

    @Bean
    EventHandler<RecoveryPointScanned> recoveryPointScannedHandler(
            RecoveryPoints recoveryPoints, ProtectionStatuses statuses) {
        return EventHandler.of(RecoveryPointScanned.class, (envelope, event) -> {
            recoveryPoints.scanned(event);
            statuses.recoveryPointsChanged(event.assetId());
        });
    }

    @Bean
    EventHandler<RecoveryPointRestoreTested> recoveryPointRestoreTestedHandler(RecoveryPoints recoveryPoints) {
        return EventHandler.of(
                RecoveryPointRestoreTested.class, (envelope, event) -> recoveryPoints.restoreTested(event));
    }
}
