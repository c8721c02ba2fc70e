package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.stereotype.Component;

/** Records a new vault; a repeat writes the same item, and a vault deleted meanwhile stays deleted. */
@Component
class VaultCreatedHandler implements EventHandler<VaultCreated> {

    private final VaultRepository vaults;

    VaultCreatedHandler(VaultRepository vaults) {
        this.vaults = vaults;
    }

    @Override
    public Class<VaultCreated> eventType() {
        return VaultCreated.class;
    }

    @Override
    public void handle(EventEnvelope envelope, VaultCreated event) {
        if (vaults.find(event.vaultId()).map(Vault::deleted).orElse(false)) {
            return;
        }
        vaults.save(new Vault(event.vaultId(), event.region(), event.bucketName(), event.kmsKeyArn(), false));
    }
}
