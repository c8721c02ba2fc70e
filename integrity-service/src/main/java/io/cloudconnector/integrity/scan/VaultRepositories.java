package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.vaultaccess.VaultAccess;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens a vault's ScaleZ repository for a scan, as every service opens it ({@link VaultAccess}: its bucket, its
 * KMS key under the vault's encryption context, the locks in its DynamoDB table). A scan only reads.
 */
@Component
class VaultRepositories {

    private final S3Client s3;
    private final KmsClient kms;
    private final DynamoDbClient dynamo;
    private final String connectorId;

    VaultRepositories(S3Client s3, KmsClient kms, DynamoDbClient dynamo, ConnectorProperties connector) {
        this.s3 = s3;
        this.kms = kms;
        this.dynamo = dynamo;
        this.connectorId = connector.id();
    }

    Repository open(String vaultId, String keyArn) {
        return new VaultAccess(new VaultResources(connectorId, vaultId), keyArn, s3, kms, dynamo).open();
    }
}
