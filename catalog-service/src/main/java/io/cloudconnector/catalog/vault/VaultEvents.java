package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.event.VaultPruned;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The vault events the catalog consumes. */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    /**
     * A maintenance measured what a vault's repository holds and checked it: that becomes the vault's
     * {@code storedBytes}, {@code health} and {@code damage}.
     */
    @Bean
    EventHandler<VaultPruned> vaultPrunedHandler(VaultRepository vaults) {
        return EventHandler.of(
                VaultPruned.class,
                (envelope, event) -> vaults.recordMaintenance(
                        event.vaultId(),
                        event.storedBytes(),
                        java.util.Objects.requireNonNullElse(event.damage(), java.util.List.of()),
                        envelope.time()));
    }
}
