package io.cloudconnector.integrity.vault;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.integrity.config.IntegrityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the vault items in step with the catalog's events. Idempotent: a repeated {@code VaultCreated}
 * keeps the vault's settings, a {@code VaultDeleted} leaves a tombstone that a late {@code VaultCreated}
 * does not revive.
 */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    @Bean
    EventHandler<VaultCreated> vaultCreated(VaultRepository vaults, IntegrityProperties properties) {
        return handler(VaultCreated.class, (envelope, event) -> {
            var known = vaults.find(event.vaultId());
            if (known.isPresent() && known.get().deleted()) {
                return;
            }
            boolean autoScan = known.map(VaultRecord::autoScan).orElse(properties.autoScanNewVaults());
            vaults.save(new VaultRecord(event.vaultId(), event.name(), event.region(), event.bucketName(),
                    event.kmsKeyArn(), autoScan, false, envelope.time()));
        });
    }

    @Bean
    EventHandler<VaultDeleted> vaultDeleted(VaultRepository vaults) {
        return handler(VaultDeleted.class, (envelope, event) -> vaults.find(event.vaultId()).ifPresent(vault ->
                vaults.save(new VaultRecord(vault.id(), vault.name(), vault.region(), vault.bucketName(),
                        vault.kmsKeyArn(), vault.autoScan(), true, envelope.time()))));
    }

    private static <E extends io.cloudconnector.common.event.ConnectorEvent> EventHandler<E> handler(Class<E> type,
            java.util.function.BiConsumer<EventEnvelope, E> body) {
        return new EventHandler<>() {
            @Override
            public Class<E> eventType() {
                return type;
            }

            @Override
            public void handle(EventEnvelope envelope, E event) {
                body.accept(envelope, event);
            }
        };
    }
}
