package io.cloudconnector.integrity.vault;

import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.vault.VaultDirectory;
import io.cloudconnector.integrity.config.IntegrityProperties;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Integrity's vault directory, kept in step with the catalog's events by common's handlers ({@link VaultDirectory}: any order,
 * any repeats, a deletion is a tombstone that a late creation does not revive). A new vault starts with
 * {@code autoScan} as {@code connector.integrity.auto-scan-new-vaults} says; events never change it afterwards.
 */
@Configuration(proxyBeanMethods = false)
class VaultEvents {

    @Bean
    VaultDirectory vaultDirectory(DynamoDbClient dynamo, ServiceTable table, IntegrityProperties properties) {
        return new VaultDirectory(
                dynamo,
                table,
                Map.of(VaultRepository.AUTO_SCAN, AttributeValue.fromBool(properties.autoScanNewVaults())));
    }
}
