package io.cloudconnector.backgroundjobs.maintenance;

import io.cloudconnector.common.event.VaultMaintenanceRequested;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The maintenance requests this service's inbox takes ({@link MaintenanceRequests}). */
@Configuration(proxyBeanMethods = false)
class MaintenanceEvents {

    @Bean
    EventHandler<VaultMaintenanceRequested> vaultMaintenanceRequestedHandler(MaintenanceRequests requests) {
        return EventHandler.of(VaultMaintenanceRequested.class, requests::requested);
    }
}
