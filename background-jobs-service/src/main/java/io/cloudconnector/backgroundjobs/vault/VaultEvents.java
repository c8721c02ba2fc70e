package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Learns vaults from the catalog into the {@link VaultDirectory} (any order, any repeats). */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    @Bean
    EventHandler<VaultCreated> vaultCreatedHandler(VaultDirectory vaults) {
        return EventHandler.of(VaultCreated.class, vaults::created);
    }

    @Bean
    EventHandler<VaultDeleted> vaultDeletedHandler(VaultDirectory vaults) {
        return EventHandler.of(VaultDeleted.class, vaults::deleted);
    }
}
