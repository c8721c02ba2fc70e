package io.cloudconnector.inventory.protection;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.messaging.EventHandler;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inbox handlers of the recovery-point events: each one folds its event into {@link RecoveryPoints}. */
@Configuration(proxyBeanMethods = false)
class RecoveryPointHandlers {

    @Bean
    EventHandler<RecoveryPointCreated> recoveryPointCreatedHandler(RecoveryPoints recoveryPoints) {
        return handler(RecoveryPointCreated.class, recoveryPoints::created);
    }

    @Bean
    EventHandler<RecoveryPointDeleted> recoveryPointDeletedHandler(RecoveryPoints recoveryPoints) {
        return handler(RecoveryPointDeleted.class, recoveryPoints::deleted);
    }

    @Bean
    EventHandler<RecoveryPointScanned> recoveryPointScannedHandler(RecoveryPoints recoveryPoints) {
        return handler(RecoveryPointScanned.class, recoveryPoints::scanned);
    }

    private static <E extends ConnectorEvent> EventHandler<E> handler(Class<E> type, Consumer<E> action) {
        return new EventHandler<>() {
            @Override
            public Class<E> eventType() {
                return type;
            }

            @Override
            public void handle(EventEnvelope envelope, E event) {
                action.accept(event);
            }
        };
    }
}
