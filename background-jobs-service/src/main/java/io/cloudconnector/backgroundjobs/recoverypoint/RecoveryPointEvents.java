package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The recovery-point events this service's inbox takes: the catalog's expiries and deletions, both carried out by
 * {@link RecoveryPointRemoval}.
 */
@Configuration(proxyBeanMethods = false)
class RecoveryPointEvents {

    @Bean
    EventHandler<RecoveryPointExpired> recoveryPointExpiredHandler(RecoveryPointRemoval removal) {
        return EventHandler.of(RecoveryPointExpired.class, removal::expired);
    }

    @Bean
    EventHandler<RecoveryPointDeleted> recoveryPointDeletedHandler(RecoveryPointRemoval removal) {
        return EventHandler.of(RecoveryPointDeleted.class, removal::deleted);
    }
}
