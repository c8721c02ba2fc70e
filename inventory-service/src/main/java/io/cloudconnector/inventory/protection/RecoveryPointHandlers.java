package io.cloudconnector.inventory.protection;

import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inbox handlers of the recovery-point events: each one folds its event into {@link RecoveryPoints}. */
@Configuration(proxyBeanMethods = false)
class RecoveryPointHandlers {

    @Bean
    EventHandler<RecoveryPointCreated> recoveryPointCreatedHandler(RecoveryPoints recoveryPoints) {
        return EventHandler.of(RecoveryPointCreated.class, (envelope, event) -> recoveryPoints.created(event));
    }

    @Bean
    EventHandler<RecoveryPointDeleted> recoveryPointDeletedHandler(RecoveryPoints recoveryPoints) {
        return EventHandler.of(RecoveryPointDeleted.class, (envelope, event) -> recoveryPoints.deleted(event));
    }

    @Bean
    EventHandler<RecoveryPointExpired> recoveryPointExpiredHandler(RecoveryPoints recoveryPoints) {
        return EventHandler.of(RecoveryPointExpired.class, (envelope, event) -> recoveryPoints.expired(event));
    }

    @Bean
    EventHandler<RecoveryPointScanned> recoveryPointScannedHandler(RecoveryPoints recoveryPoints) {
        return EventHandler.of(RecoveryPointScanned.class, (envelope, event) -> recoveryPoints.scanned(event));
    }
}
