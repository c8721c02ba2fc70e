package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.vault.VaultDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The provisioner's vault directory, kept in step with the catalog's events by common's handlers
 * ({@link VaultDirectory}: any order, any repeats; a deleted vault gets no more servers and no late creation revives
 * it).
 */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    @Bean
    VaultDirectory vaultDirectory(DynamoDbClient dynamo, ServiceTable table) {
        return new VaultDirectory(dynamo, table);
    }
}
