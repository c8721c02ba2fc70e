package io.cloudconnector.catalog;

import io.cloudconnector.catalog.vault.Vault;
import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import java.util.ArrayList;
import java.util.Objects;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The emulator's CloudFormation ignores a bucket's {@code VersioningConfiguration}, {@code ObjectLockEnabled} and
 * {@code ObjectLockConfiguration}, so a vault it creates has a plain bucket, and it accepts an Object Lock
 * configuration only on an empty bucket. Tests that need the engine's Object Lock records in a vault do here what the
 * vault template does in AWS: empty the new vault's bucket, turn on versioning and the vault's default retention, and
 * initialise its repository again with the vault's key.
 */
public final class EmulatedObjectLock {

    private EmulatedObjectLock() {}

    /** Locks a new vault's bucket as the template would ({@code mode}: GOVERNANCE or COMPLIANCE). */
    public static void lockAsTheTemplateDoes(AwsEmulator emulator, Vault vault, String mode, int days) {
        String bucket = Objects.requireNonNull(vault.bucketName());
        String keyArn = Objects.requireNonNull(vault.kmsKeyArn());
        var clients = new AwsClientFactory(AwsProperties.of(vault.region(), emulator.endpoint())
                .withStaticCredentials(emulator.accessKeyId(), emulator.secretAccessKey())
                .withMaxAttempts(1));
        try (var s3 = clients.s3();
                var kms = clients.sync(KmsClient.builder())) {
            var objects = new ArrayList<ObjectIdentifier>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket))
                    .contents()
                    .forEach(o ->
                            objects.add(ObjectIdentifier.builder().key(o.key()).build()));
            if (!objects.isEmpty()) {
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(objects)));
            }
            s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
            s3.putObjectLockConfiguration(b -> b.bucket(bucket)
                    .objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                            .rule(r -> r.defaultRetention(d -> d.mode(mode).days(days)))));
            Repository.init(new S3BlobStore(s3, bucket, ""), new KeyCredential.KmsKey(kms, keyArn, vault.id()));
        }
    }
}
