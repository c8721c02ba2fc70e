package io.cloudconnector.integrity.testing;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A vault as the catalog and the background jobs would leave it in the emulator: a bucket, a KMS key, a
 * ScaleZ repository wrapped by that key, recovery points backed up into it — announced on the bus with the
 * same events those services publish.
 */
public final class EmulatedVault {

    public static final String ASSET = "aws:ebs:123456789012:us-east-1:vol-0123456789abcdef0";

    private final String id;
    private final String bucket;
    private final String keyArn;
    private final Repository repository;
    private final EventBridgeClient events;

    private EmulatedVault(String id, String bucket, String keyArn, Repository repository, EventBridgeClient events) {
        this.id = id;
        this.bucket = bucket;
        this.keyArn = keyArn;
        this.repository = repository;
        this.events = events;
    }

    /** Makes the bucket, the key and the repository. */
    public static EmulatedVault create(AwsClientFactory clients) {
        String id = Ids.vault();
        String bucket = TestTokens.CONNECTOR_ID + "-" + id;
        S3Client s3 = clients.s3();
        KmsClient kms = clients.sync(KmsClient.builder());
        s3.createBucket(b -> b.bucket(bucket));
        String keyArn =
                kms.createKey(b -> b.description("vault " + id)).keyMetadata().arn();
        var repository = Repository.init(new S3BlobStore(s3, bucket, ""), new KeyCredential.KmsKey(kms, keyArn, id));
        return new EmulatedVault(id, bucket, keyArn, repository, clients.sync(EventBridgeClient.builder()));
    }

    public String id() {
        return id;
    }

    public String bucket() {
        return bucket;
    }

    public String keyArn() {
        return keyArn;
    }

    /** Publishes {@code VaultCreated} as the catalog does. */
    public void announce() {
        publisher("catalog").publish(new VaultCreated(id, "vault " + id, "us-east-1", bucket, keyArn), null);
    }

    /** Backs up an image and publishes {@code RecoveryPointCreated} as the background jobs do; returns the id. */
    public String backup(Path image) {
        return backup(image, Map.of());
    }

    /** Backs up an image and announces it with this {@code source} (e.g. a protection policy's labels). */
    public String backup(Path image, Map<String, String> labels) {
        RecoveryPoint rp;
        try (var source = ImageFileSource.open(image)) {
            rp = repository.backupBlocks(
                    source, BackupOptions.defaults().withLabels(Map.of("cc.asset-id", ASSET, "cc.kind", "ebs")));
        }
        publisher("background-jobs")
                .publish(
                        new RecoveryPointCreated(
                                rp.id(),
                                id,
                                ASSET,
                                RecoveryPointKind.EBS,
                                rp.time(),
                                rp.parent(),
                                rp.logicalSize(),
                                rp.bytesAdded(),
                                null,
                                labels),
                        null);
        return rp.id();
    }

    /** A publisher on the test connector's bus with another service's source. */
    public EventPublisher publisher(String service) {
        return new EventPublisher(
                events,
                EventCodec.standard(),
                TestTokens.CONNECTOR_ID + "-bus",
                service,
                TestTokens.CONNECTOR_ID,
                Clock.systemUTC());
    }
}
