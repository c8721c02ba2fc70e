package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.common.store.ServiceTable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Background-jobs' vault directory (common's {@link io.cloudconnector.common.vault.VaultDirectory}), kept in step
 * with the catalog's events by common's handlers: any order, any repeats.
 */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    @Bean
    io.cloudconnector.common.vault.VaultDirectory commonVaultDirectory(DynamoDbClient dynamo, ServiceTable table) {
        return new io.cloudconnector.common.vault.VaultDirectory(dynamo, table);
    }
}
