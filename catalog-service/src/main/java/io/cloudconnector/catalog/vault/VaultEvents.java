package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.event.VaultPruned;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The vault events the catalog consumes. */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    /** A prune measured what a vault's repository holds: that becomes the vault's {@code storedBytes}. */
    @Bean
    EventHandler<VaultPruned> vaultPrunedHandler(VaultRepository vaults) {
        return EventHandler.of(
                VaultPruned.class,
                (envelope, event) -> vaults.setStoredBytes(event.vaultId(), event.storedBytes(), envelope.time()));
    }
}
