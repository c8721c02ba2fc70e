package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The recovery-point events this service's inbox takes: the catalog's expiries ({@link RecoveryPointExpiry}). */
@Configuration(proxyBeanMethods = false)
class RecoveryPointEvents {

    @Bean
    EventHandler<RecoveryPointExpired> recoveryPointExpiredHandler(RecoveryPointExpiry expiry) {
        return EventHandler.of(RecoveryPointExpired.class, expiry::handle);
    }
}
