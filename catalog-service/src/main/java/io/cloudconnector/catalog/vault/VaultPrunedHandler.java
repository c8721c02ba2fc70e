package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultPruned;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.stereotype.Component;

/** A prune measured what a vault's repository holds: that becomes the vault's {@code storedBytes}. */
@Component
class VaultPrunedHandler implements EventHandler<VaultPruned> {

    private final VaultRepository vaults;

    VaultPrunedHandler(VaultRepository vaults) {
        this.vaults = vaults;
    }

    @Override
    public Class<VaultPruned> eventType() {
        return VaultPruned.class;
    }

    @Override
    public void handle(EventEnvelope envelope, VaultPruned event) {
        vaults.setStoredBytes(event.vaultId(), event.storedBytes(), envelope.time());
    }
}
