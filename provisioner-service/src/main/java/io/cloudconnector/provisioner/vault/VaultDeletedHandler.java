package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Marks a vault deleted: it gets no more servers (a vault is deleted only when it holds no data, so none of its
 * jobs run). A deletion that arrives before the creation leaves a deleted tombstone.
 */
@Component
class VaultDeletedHandler implements EventHandler<VaultDeleted> {

    private final VaultRepository vaults;

    VaultDeletedHandler(VaultRepository vaults) {
        this.vaults = vaults;
    }

    @Override
    public Class<VaultDeleted> eventType() {
        return VaultDeleted.class;
    }

    @Override
    public void handle(EventEnvelope envelope, VaultDeleted event) {
        var known = vaults.find(event.vaultId());
        vaults.save(known.map(v -> new Vault(v.id(), v.region(), v.bucketName(), v.kmsKeyArn(), true))
                .orElse(new Vault(event.vaultId(), "", "", "", true)));
    }
}
