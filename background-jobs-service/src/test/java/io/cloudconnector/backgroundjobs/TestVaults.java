package io.cloudconnector.backgroundjobs;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Vaults as the catalog makes them, without the catalog: a bucket {@code <connectorId>-<vaultId>}, a KMS key, the
 * vault's table (same name), an initialised ScaleZ repository; announced to the service with the {@code VaultCreated} the catalog would send.
 */
public final class TestVaults {

    private TestVaults() {}

    /** A vault in the emulator's region, known to the service. */
    public static VaultCreated create(AwsEmulator emulator, InboxDispatcher inbox, String name) {
        return create(emulator, inbox, name, 0);
    }

    /**
     * A vault whose bucket has Object Lock with a default retention of {@code lockDays} in governance mode (0: a
     * bucket without Object Lock), known to the service.
     */
    public static VaultCreated create(AwsEmulator emulator, InboxDispatcher inbox, String name, int lockDays) {
        var clients = ConnectorStack.clients(emulator);
        String vaultId = Ids.vault();
        String bucket = TestTokens.CONNECTOR_ID + "-" + vaultId;
        try (var s3 = clients.s3();
                var kms = clients.sync(KmsClient.builder());
                var dynamo = clients.sync(DynamoDbClient.builder())) {
            if (lockDays > 0) {
                s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
                s3.putObjectLockConfiguration(b -> b.bucket(bucket)
                        .objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                                .rule(r -> r.defaultRetention(
                                        d -> d.mode("GOVERNANCE").days(lockDays)))));
            } else {
                s3.createBucket(b -> b.bucket(bucket));
            }
            // The vault stack's table, <connectorId>-<vaultId>: repository locks and ScaleZ server registrations.
            dynamo.createTable(b -> b.tableName(bucket)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            String key = kms.createKey(b -> b.description("vault " + vaultId))
                    .keyMetadata()
                    .arn();
            Repository.init(new S3BlobStore(s3, bucket, ""), new KeyCredential.KmsKey(kms, key, vaultId));
            var created = new VaultCreated(vaultId, name, emulator.region(), bucket, key);
            inbox.dispatch(EventEnvelope.wrap(created, TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
            return created;
        }
    }

    /** Reads the vault's repository, opened as the service opens it. */
    public static <T> T read(
            AwsEmulator emulator, VaultCreated vault, java.util.function.Function<Repository, T> reading) {
        var clients = ConnectorStack.clients(emulator);
        try (var s3 = clients.s3();
                var kms = clients.sync(KmsClient.builder())) {
            return reading.apply(Repository.open(
                    new S3BlobStore(s3, vault.bucketName(), ""),
                    new KeyCredential.KmsKey(kms, vault.kmsKeyArn(), vault.vaultId())));
        }
    }
}
