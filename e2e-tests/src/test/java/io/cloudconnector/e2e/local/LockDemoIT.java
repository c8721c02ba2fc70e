package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.repo.Repository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * The demo's Object Lock step against the emulator: a repository written by the engine into a locked bucket (as a
 * vault's), {@link LockDemo}'s attack with the local tool's S3 client, then the engine restoring the point byte for
 * byte; and a bucket without Object Lock, which the step refuses to attack. The demo itself needs the fixed ports of
 * a local stack, which tests cannot take: here the restore is the engine's, in the demo it is the connector's API.
 */
@WithAwsEmulator
class LockDemoIT {

    private static final KeyCredential PASSPHRASE =
            new KeyCredential.Passphrase("correct horse battery staple", new KdfParameters(1024, 1, 1));

    /** The attacker's client, built as the local tool builds its clients. */
    private static S3Client toolS3(AwsEmulator emulator) {
        return new AwsClientFactory(AwsProperties.of(emulator.region(), emulator.endpoint())
                        .withStaticCredentials(emulator.accessKeyId(), emulator.secretAccessKey()))
                .s3();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The engine's restore of {@code id} from the bucket as it is now, hashed as it streams. */
    private static String restoredSha256(S3Client s3, String bucket, String id) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        var repo = Repository.open(new S3BlobStore(s3, bucket, ""), PASSPHRASE);
        try (var out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            repo.restoreStream(id, out, ProgressListener.NONE);
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void theAttackerDeletesNoVersionAndTheLockedPointStillRestoresByteForByte(AwsEmulator emulator) throws Exception {
        String bucket = "lock-demo-vault";
        try (S3Client s3 = EmulatorClients.s3(emulator);
                S3Client attacker = toolS3(emulator)) {
            s3.createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
            s3.putObjectLockConfiguration(r -> r.bucket(bucket)
                    .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(rule -> rule.defaultRetention(d ->
                                    d.mode(ObjectLockRetentionMode.GOVERNANCE).days(30)))));
            var repo = Repository.init(new S3BlobStore(s3, bucket, ""), PASSPHRASE);
            var data = new byte[3 << 20];
            new SplittableRandom(15).nextBytes(data);
            String point = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                    .id();
            String expected = sha256(data);
            assertThat(restoredSha256(s3, bucket, point)).isEqualTo(expected);

            var keys = new HashSet<String>();
            var before = new AtomicInteger();
            s3.listObjectVersionsPaginator(r -> r.bucket(bucket))
                    .forEach(page -> page.versions().forEach(v -> {
                        keys.add(v.key());
                        before.incrementAndGet();
                    }));
            assertThat(keys).contains("config").anyMatch(k -> k.startsWith("packs/"));

            var printed = new ByteArrayOutputStream();
            List<String> failures = new ArrayList<>();
            var restores = new AtomicInteger();
            var report = new LockDemo(attacker, new PrintStream(printed, true, StandardCharsets.UTF_8), failures)
                    .run(bucket, point, expected, id -> {
                        restores.incrementAndGet();
                        return restoredSha256(s3, bucket, id);
                    });

            assertThat(failures).isEmpty();
            assertThat(restores).hasValue(1);
            assertThat(report)
                    .containsEntry("locked", true)
                    .containsEntry("objectLock", "governance 30 days")
                    .containsEntry("versions", before.get())
                    .containsEntry("deleteRefused", before.get())
                    .containsEntry("deleted", 0)
                    .containsEntry("keysOverwritten", keys.size())
                    .containsEntry("sha256", Map.of("expected", expected, "restored", expected, "match", true));
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("attacker: " + before.get() + " versions, " + before.get()
                            + " delete refused (Object Lock), " + keys.size()
                            + " keys overwritten; restore after attack: SHA-256 MATCH");
            // The attack really happened (the attacker's versions were written), and the operator's clean-up with the
            // governance bypass removed exactly those (the versions are the engine's again, and it writes and
            // restores).
            assertThat(report).containsEntry("attackerVersionsRemoved", keys.size());
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("operator (governance bypass, not the connector's role): " + keys.size()
                            + " attacker versions removed");
            var after = new AtomicInteger();
            s3.listObjectVersionsPaginator(r -> r.bucket(bucket))
                    .forEach(page -> after.addAndGet(page.versions().size()));
            assertThat(after).hasValue(before.get());
            // ... so the vault takes new backups after the attack (a second demo run writes into it).
            var next = Repository.open(new S3BlobStore(s3, bucket, ""), PASSPHRASE)
                    .backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                    .id();
            assertThat(restoredSha256(s3, bucket, next)).isEqualTo(expected);

            // A restore that does not match is a failure of the demo, named.
            var again = new LockDemo(attacker, new PrintStream(OutputStream.nullOutputStream()), failures)
                    .run(bucket, point, expected, id -> "0".repeat(64));
            assertThat(again).containsEntry("deleted", 0);
            assertThat(failures).singleElement().asString().contains("restores to SHA-256 " + "0".repeat(64));
            assertThat(restoredSha256(s3, bucket, point)).isEqualTo(expected);
        }
    }

    @Test
    void aBucketWithoutObjectLockIsNotAttacked(AwsEmulator emulator) throws Exception {
        String bucket = "lock-demo-unlocked";
        try (S3Client s3 = EmulatorClients.s3(emulator);
                S3Client attacker = toolS3(emulator)) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.putObject(r -> r.bucket(bucket).key("config"), RequestBody.fromString("the vault's config"));
            List<String> failures = new ArrayList<>();
            var report = new LockDemo(attacker, new PrintStream(OutputStream.nullOutputStream()), failures)
                    .run(bucket, "rp-1", "0".repeat(64), id -> {
                        throw new AssertionError("no restore without an attack");
                    });

            assertThat(report).containsEntry("locked", false).doesNotContainKey("versions");
            assertThat(failures)
                    .singleElement()
                    .asString()
                    .contains(bucket, "no Object Lock default retention", "not run");
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("config")).asUtf8String())
                    .isEqualTo("the vault's config");
        }
    }
}
