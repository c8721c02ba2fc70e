package io.cloudconnector.vaultaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.repo.lock.DynamoDbLocks;
import io.cloudconnector.scalez.repo.lock.LockedException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** A vault's repository in the emulator: its bucket, its KMS key, the locks in its DynamoDB table. */
@WithAwsEmulator
class VaultAccessIT {

    private static final AtomicInteger VAULTS = new AtomicInteger();

    private static S3Client s3;
    private static KmsClient kms;
    private static DynamoDbClient dynamo;

    private VaultResources vault;
    private VaultAccess access;

    @BeforeAll
    static void connect(AwsEmulator emulator) {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey()));
        var region = Region.of(emulator.region());
        s3 = S3Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        kms = KmsClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(region)
                .credentialsProvider(credentials)
                .build();
        dynamo = DynamoDbClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(region)
                .credentialsProvider(credentials)
                .build();
    }

    @AfterAll
    static void disconnect() {
        s3.close();
        kms.close();
        dynamo.close();
    }

    /** What the vault stack creates: the bucket, the key and the table, named by {@link VaultResources}. */
    @BeforeEach
    void createVault() {
        vault = new VaultResources("cc-test", "vlt-access" + VAULTS.incrementAndGet());
        s3.createBucket(b -> b.bucket(vault.bucket()));
        dynamo.createTable(b -> b.tableName(vault.table())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        String keyArn =
                kms.createKey(b -> b.description("vault key")).keyMetadata().arn();
        access = new VaultAccess(vault, keyArn, s3, kms, dynamo);
    }

    @Test
    void initialisesTheRepositoryInTheVaultsBucketAndOpensItAgain() {
        var created = access.initialise();
        var point = created.backupStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), BackupOptions.defaults());

        var opened = access.open();

        assertThat(opened.list()).extracting(RecoveryPoint::id).containsExactly(point.id());
        assertThat(s3.listObjectsV2(b -> b.bucket(vault.bucket()).prefix("config"))
                        .keyCount())
                .isEqualTo(1);
    }

    @Test
    void aRetriedInitialisationOpensWhatTheFirstMade() {
        var first = access.initialise();
        var point = first.backupStream(new ByteArrayInputStream(new byte[] {4, 5}), BackupOptions.defaults());

        var again = access.initialise();

        assertThat(again.list()).extracting(RecoveryPoint::id).containsExactly(point.id());
        assertThat(s3.listObjectsV2(b -> b.bucket(vault.bucket()).prefix("keys/"))
                        .keyCount())
                .isEqualTo(1);
    }

    @Test
    void anInitialisationThatDiedAfterTheKeyFileIsDoneOver() {
        s3.putObject(
                b -> b.bucket(vault.bucket()).key("keys/leftover"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[] {9}));

        access.initialise().backupStream(new ByteArrayInputStream(new byte[] {7}), BackupOptions.defaults());

        assertThat(s3.listObjectsV2(b -> b.bucket(vault.bucket()).prefix("keys/"))
                        .contents())
                .noneMatch(o -> o.key().equals("keys/leftover"))
                .hasSize(1);
    }

    @Test
    void locksInTheVaultsTableSoAnotherWriterExcludesIt() {
        access.initialise();
        var reopened = access.open(RepositoryOptions.defaults().withLockWait(Duration.ofMillis(300)));
        reopened.backupStream(new ByteArrayInputStream(new byte[] {1}), BackupOptions.defaults());
        assertThat(s3.listObjectsV2(b -> b.bucket(vault.bucket()).prefix("locks/"))
                        .keyCount())
                .as("no lock objects in the bucket")
                .isZero();

        var otherWriter = new DynamoDbLocks(
                dynamo, vault.table(), Clock.systemUTC(), Duration.ofMinutes(10), Duration.ofMillis(300));
        try (var prune = otherWriter.lockExclusive("prune by the ScaleZ server")) {
            assertThatThrownBy(() ->
                            reopened.backupStream(new ByteArrayInputStream(new byte[] {2}), BackupOptions.defaults()))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining(vault.table())
                    .hasMessageContaining("prune by the ScaleZ server");
        }
    }
}
