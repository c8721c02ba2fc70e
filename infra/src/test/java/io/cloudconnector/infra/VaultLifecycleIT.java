package io.cloudconnector.infra;

import static io.cloudconnector.common.testing.EmulatorClients.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/** Vault stacks as the catalog service manages them: several side by side, and deleted without losing backup data. */
@WithAwsEmulator
class VaultLifecycleIT {

    private static final String CONNECTOR_ID = "cc-vaults";

    @Test
    void deletingAVaultStackKeepsItsBucketObjectsAndKeyButNotItsLocks(AwsEmulator emulator) {
        var deployer = new StackDeployer(emulator);
        var network = EmulatedAccount.create(emulator, AwsEmulator.REGION);

        var first = deployer.createFromBody(
                CONNECTOR_ID + "-vlt-first", Template.VAULT, vault("vlt-first", network, "private"));
        // A second vault of the same connector must not collide with the first on any name.
        var second = deployer.createFromBody(
                CONNECTOR_ID + "-vlt-second", Template.VAULT, vault("vlt-second", network, "public"));
        var s3 = EmulatorClients.s3(emulator);
        s3.putObject(
                request -> request.bucket(first.get("BucketName")).key("snapshots/rp-1"),
                RequestBody.fromString("manifest"));

        deployer.delete(CONNECTOR_ID + "-vlt-first");

        assertThat(s3.getObjectAsBytes(request ->
                                request.bucket(first.get("BucketName")).key("snapshots/rp-1"))
                        .asUtf8String())
                .isEqualTo("manifest");
        var kms = client(emulator, KmsClient.builder());
        assertThat(kms.listAliases().aliases()).anySatisfy(alias -> {
            assertThat(alias.aliasName()).isEqualTo(first.get("KeyAlias"));
            assertThat(first.get("KeyArn")).endsWith(alias.targetKeyId());
        });
        assertThat(kms.generateDataKey(request -> request.keyId(first.get("KeyArn"))
                                .keySpec(DataKeySpec.AES_256)
                                .encryptionContext(Map.of("vault", "vlt-first")))
                        .ciphertextBlob()
                        .asByteArray())
                .isNotEmpty();
        var dynamoDb = client(emulator, DynamoDbClient.builder());
        assertThatThrownBy(() -> dynamoDb.describeTable(request -> request.tableName(first.get("TableName"))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(dynamoDb.describeTable(request -> request.tableName(second.get("TableName")))
                        .table()
                        .tableName())
                .isEqualTo(CONNECTOR_ID + "-vlt-second");
        assertThat(second.get("AssignPublicIp")).isEqualTo("ENABLED");
    }

    private static Map<String, String> vault(String vaultId, EmulatedAccount network, String subnetKind) {
        return Map.of(
                "ConnectorId",
                CONNECTOR_ID,
                "VaultId",
                vaultId,
                "VpcId",
                network.vpcId(),
                "SubnetIds",
                network.privateSubnetsParameter(),
                "SubnetKind",
                subnetKind,
                "ObjectLockMode",
                "GOVERNANCE",
                "WorkerImageUri",
                "registry.example.com/cloud-connector/background-jobs-service:1.0.0",
                "ScannerImageUri",
                "registry.example.com/cloud-connector/integrity-service:1.0.0");
    }
}
