package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.vault.VaultDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Keeps the provisioner's vault directory in step with the catalog's events (common's {@link VaultDirectory}: any
 * order, any repeats; a deleted vault gets no more servers and no late creation revives it).
 */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    @Bean
    VaultDirectory vaultDirectory(DynamoDbClient dynamo, ServiceTable table) {
        return new VaultDirectory(dynamo, table);
    }

    @Bean
    EventHandler<VaultCreated> vaultCreatedHandler(VaultDirectory directory) {
        return EventHandler.of(VaultCreated.class, directory::created);
    }

    @Bean
    EventHandler<VaultDeleted> vaultDeletedHandler(VaultDirectory directory) {
        return EventHandler.of(VaultDeleted.class, directory::deleted);
    }
}
