package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.stereotype.Component;

/** Learns vaults from the catalog: both handlers are idempotent and order-independent (see {@link VaultDirectory}). */
final class VaultEvents {

    private VaultEvents() {
    }

    @Component
    static class Created implements EventHandler<VaultCreated> {

        private final VaultDirectory vaults;

        Created(VaultDirectory vaults) {
            this.vaults = vaults;
        }

        @Override
        public Class<VaultCreated> eventType() {
            return VaultCreated.class;
        }

        @Override
        public void handle(EventEnvelope envelope, VaultCreated event) {
            vaults.created(event, envelope.time());
        }
    }

    @Component
    static class Deleted implements EventHandler<VaultDeleted> {

        private final VaultDirectory vaults;

        Deleted(VaultDirectory vaults) {
            this.vaults = vaults;
        }

        @Override
        public Class<VaultDeleted> eventType() {
            return VaultDeleted.class;
        }

        @Override
        public void handle(EventEnvelope envelope, VaultDeleted event) {
            vaults.deleted(event.vaultId(), envelope.time());
        }
    }
}
