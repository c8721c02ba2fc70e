package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.LockMode;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.PointRecord;
import io.cloudconnector.scalez.maintenance.MaintenanceOptions;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.model.ComplianceLockException;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPointLockedException;
import io.cloudconnector.scalez.serve.ScalezServer;
import io.cloudconnector.scalez.serve.ScalezServers;
import io.cloudconnector.scalez.serve.ServerOptions;
import io.cloudconnector.scalez.serve.ServerTokens;
import io.cloudconnector.scalez.serve.SharedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Repositories in S3 Object Lock buckets (moto): every write carries the checksum a locked bucket requires, each
 * point records the object versions it needs and its lock, locked points cannot be forgotten, a backup that reuses
 * older packs extends their retention, legal holds and governance/compliance changes, and an attacker with plain S3
 * calls cannot destroy a locked point.
 */
@WithAwsEmulator
class ObjectLockIT {

    private static final int BLOCK = 512 * 1024;

    static S3BlobStore lockedStore(S3Client s3, String bucket, ObjectLockRetentionMode mode, int days) {
        s3.createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
        s3.putObjectLockConfiguration(r -> r.bucket(bucket)
                .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                        .rule(rule -> rule.defaultRetention(d -> d.mode(mode).days(days)))));
        return new S3BlobStore(s3, bucket, "scalez");
    }

    private static MutableClock clock() {
        return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static byte[] restore(Repository repo, String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return out.toByteArray();
    }

    @Test
    void aLockedBucketIsWrittenAndRestoredAndALockedPointIsNotForgotten(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            var store = lockedStore(s3, "locked-a", ObjectLockRetentionMode.GOVERNANCE, 1);
            var clock = clock();
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
            var image = TestRepositories.random(1, 6 * BLOCK + 100);
            var text = TestRepositories.text(2, 400_000);
            var started = clock.instant();
            var block = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();
            var stream = repo.backupStream(new ByteArrayInputStream(text), BackupOptions.defaults())
                    .id();

            assertThat(restore(repo, block)).isEqualTo(image);
            assertThat(restore(repo, stream)).isEqualTo(text);
            assertThat(repo.checkReadData().isClean()).isTrue();

            var lock = repo.lockState(block);
            assertThat(lock.lockedUntil()).isEqualTo(started.plus(Duration.ofDays(1)));
            assertThat(lock.mode()).isEqualTo(LockMode.GOVERNANCE);
            assertThat(lock.legalHold()).isFalse();
            PointRecord record = Objects.requireNonNull(repo.manifest(block).record());
            assertThat(record.objects()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.key()).matches("(packs/[0-9a-f]{2}|index)/[0-9a-f]{64}");
                assertThat(e.versionId()).isNotBlank();
                assertThat(e.retainUntil()).isAfterOrEqualTo(lock.lockedUntil());
            });
            assertThat(record.objects()).anyMatch(e -> e.key().startsWith("index/"));

            assertThatThrownBy(() -> repo.forget(block))
                    .isInstanceOfSatisfying(RecoveryPointLockedException.class, e -> {
                        assertThat(e.lockedUntil()).isEqualTo(lock.lockedUntil());
                        assertThat(e.legalHold()).isFalse();
                    })
                    .hasMessageContaining("locked until");
            assertThat(repo.locks())
                    .extracting(RecoveryPointLock::recoveryPointId, RecoveryPointLock::lockedUntil)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(block, lock.lockedUntil()),
                            org.assertj.core.groups.Tuple.tuple(
                                    stream, repo.lockState(stream).lockedUntil()));
            var forgot = repo.forget(new RetentionPolicy(1, 0, 0, 0, 0, 0));
            assertThat(forgot.removed()).isEmpty();
            assertThat(repo.prune().packsDeleted()).isZero();
            assertThat(repo.check().isClean()).isTrue();

            // Two days later (engine clock) the lock has ended: forgetting works; S3 still retains the versions
            // by its own clock, so prune keeps them hidden instead of failing.
            clock.advance(Duration.ofDays(2));
            repo.forget(block);
            var pruned = repo.prune();
            assertThat(pruned.versionsRetained()).isPositive();
            assertThat(repo.list()).extracting(p -> p.id()).containsExactly(stream);
            assertThat(restore(repo, stream)).isEqualTo(text);
            assertThat(repo.check().isClean()).isTrue();

            // The same data backed up again is stored again, although the old versions are only hidden.
            var again = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();
            assertThat(restore(
                            Repository.open(store, TestRepositories.PASSPHRASE, TestRepositories.options(clock)),
                            again))
                    .isEqualTo(image);
            assertThat(repo.checkReadData().isClean()).isTrue();
        }
    }

    /**
     * A backup through a ScaleZ server: the server holds the backup's chunks in packs it has not indexed yet, so the
     * backup asks it to flush before it reads the index files to record what its point needs.
     */
    @Test
    void aBackupThroughAScalezServerRecordsThePacksTheServerWrote(AwsEmulator emulator) throws Exception {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            var store = lockedStore(s3, "locked-served", ObjectLockRetentionMode.GOVERNANCE, 1);
            var clock = clock();
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
            var token = "token-of-the-locked-server";
            try (var writer = SharedWriter.open(repo, 1);
                    var server = ScalezServer.start(
                            writer,
                            ServerOptions.defaults(new InetSocketAddress("127.0.0.1", 0), ServerTokens.sha256(token)),
                            e -> {})) {
                var client = Repository.open(
                        store,
                        TestRepositories.PASSPHRASE,
                        TestRepositories.options(clock)
                                .withRemoteWriter(
                                        ScalezServers.at(server.endpoint(), token, server.certificateSha256())));
                var image = TestRepositories.random(5, 6 * BLOCK + 100);

                var point = client.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                        .id();

                assertThat(writer.stats().blobsStored())
                        .as("the server stored the backup's chunks")
                        .isPositive();
                var record = Objects.requireNonNull(repo.manifest(point).record());
                assertThat(record.objects()).anyMatch(e -> e.key().startsWith("packs/"));
                assertThat(record.objects()).anyMatch(e -> e.key().startsWith("index/"));
                assertThat(restore(repo, point)).isEqualTo(image);
                assertThat(repo.check().isClean()).isTrue();
            }
        }
    }

    @Test
    void aBackupThatReusesOlderPacksExtendsTheirRetentionOnce(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            var store = lockedStore(s3, "locked-b", ObjectLockRetentionMode.GOVERNANCE, 1);
            var clock = clock();
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
            var image = TestRepositories.random(3, 4 * BLOCK);
            var first = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();
            clock.advance(Duration.ofHours(10));
            var second = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();
            clock.advance(Duration.ofHours(1));
            var third = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();

            var r1 = Objects.requireNonNull(repo.manifest(first).record());
            var r2 = Objects.requireNonNull(repo.manifest(second).record());
            var r3 = Objects.requireNonNull(repo.manifest(third).record());
            var packs1 = r1.objects().stream()
                    .filter(e -> e.key().startsWith("packs/"))
                    .map(e -> e.key() + "@" + e.versionId())
                    .toList();
            var packs2 = r2.objects().stream()
                    .filter(e -> e.key().startsWith("packs/"))
                    .map(e -> e.key() + "@" + e.versionId())
                    .toList();
            // The second point needs exactly the first one's pack versions, and holds them to its own lock end.
            assertThat(packs2).isEqualTo(packs1);
            assertThat(r2.lockedUntil()).isAfter(r1.lockedUntil());
            assertThat(r2.objects()).allSatisfy(e -> assertThat(e.retainUntil()).isAfterOrEqualTo(r2.lockedUntil()));
            // An hour later the extension (with its slack of a tenth of the period) still covers the third point:
            // nothing is extended again, and the record says so.
            assertThat(r3.objects()).allSatisfy(e -> assertThat(e.retainUntil()).isAfterOrEqualTo(r3.lockedUntil()));
            for (var e : r3.objects()) {
                var before = r2.find(e.key());
                if (before != null && before.versionId().equals(e.versionId())) {
                    assertThat(e.retainUntil()).isEqualTo(before.retainUntil());
                }
            }
            // Maintenance finds nothing to re-extend: every locked point's versions are held long enough.
            assertThat(repo.extendLocks()).isZero();
            assertThat(restore(repo, third)).isEqualTo(image);
        }
    }

    @Test
    void legalHoldsAndGovernanceAndComplianceChanges(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            var store = lockedStore(s3, "locked-c", ObjectLockRetentionMode.GOVERNANCE, 1);
            var clock = clock();
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
            var image = TestRepositories.random(4, 3 * BLOCK);
            var held = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();
            var governed = repo.backupStream(
                            new ByteArrayInputStream(TestRepositories.text(5, 100_000)), BackupOptions.defaults())
                    .id();

            assertThat(repo.legalHold(held, true)).isPositive();
            assertThat(repo.lockState(held).legalHold()).isTrue();
            var pack = Objects.requireNonNull(repo.manifest(held).record()).objects().stream()
                    .filter(e -> e.key().startsWith("packs/"))
                    .findFirst()
                    .orElseThrow();
            assertThat(s3.getObjectLegalHold(r -> r.bucket("locked-c")
                                    .key("scalez/" + pack.key())
                                    .versionId(pack.versionId()))
                            .legalHold()
                            .status())
                    .isEqualTo(ObjectLockLegalHoldStatus.ON);

            // Governance: shortening needs the bypass; extending does not.
            var now = clock.instant();
            assertThatThrownBy(() -> repo.changeLock(governed, now.plus(Duration.ofHours(1)), false))
                    .isInstanceOf(RecoveryPointLockedException.class)
                    .hasMessageContaining("bypassGovernance");
            assertThat(repo.changeLock(governed, now.plus(Duration.ofHours(1)), true)
                            .lockedUntil())
                    .isEqualTo(now.plus(Duration.ofHours(1)));
            assertThat(repo.changeLock(governed, now.plus(Duration.ofDays(5)), false)
                            .lockedUntil())
                    .isEqualTo(now.plus(Duration.ofDays(5)));
            assertThat(repo.extendLocks()).isZero();

            // Three days on: the held point's retention has ended, the hold still keeps it.
            clock.advance(Duration.ofDays(3));
            assertThatThrownBy(() -> repo.forget(held))
                    .isInstanceOfSatisfying(
                            RecoveryPointLockedException.class,
                            e -> assertThat(e.legalHold()).isTrue());
            var run = repo.maintain(MaintenanceOptions.defaults().withForget(List.of(held, governed)));
            assertThat(run.recoveryPointsKeptLocked()).containsExactlyInAnyOrder(held, governed);
            assertThat(run.recoveryPointsForgotten()).isZero();
            assertThat(run.damage()).isEmpty();
            assertThat(restore(repo, held)).isEqualTo(image);

            repo.legalHold(held, false);
            assertThat(repo.lockState(held).legalHold()).isFalse();
            assertThat(s3.getObjectLegalHold(r -> r.bucket("locked-c")
                                    .key("scalez/" + pack.key())
                                    .versionId(pack.versionId()))
                            .legalHold()
                            .status())
                    .isEqualTo(ObjectLockLegalHoldStatus.OFF);
            var after = repo.maintain(MaintenanceOptions.defaults().withForget(List.of(held)));
            assertThat(after.recoveryPointsForgotten()).isEqualTo(1);
            assertThat(repo.list()).extracting(p -> p.id()).containsExactly(governed);
        }
    }

    @Test
    void aComplianceLockCannotBeShortenedByAnyone(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            var store = lockedStore(s3, "locked-d", ObjectLockRetentionMode.COMPLIANCE, 1);
            var clock = clock();
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
            var rp = repo.backupStream(
                            new ByteArrayInputStream(TestRepositories.text(6, 50_000)), BackupOptions.defaults())
                    .id();
            var lock = repo.lockState(rp);
            assertThat(lock.mode()).isEqualTo(LockMode.COMPLIANCE);
            assertThatThrownBy(() -> repo.changeLock(rp, clock.instant().plus(Duration.ofMinutes(5)), true))
                    .isInstanceOfSatisfying(
                            ComplianceLockException.class,
                            e -> assertThat(e.lockedUntil()).isEqualTo(lock.lockedUntil()));
            assertThatThrownBy(() -> repo.forget(rp)).isInstanceOf(RecoveryPointLockedException.class);
            assertThat(repo.lockState(rp).lockedUntil()).isEqualTo(lock.lockedUntil());
            // Extending a compliance lock is allowed.
            var later = lock.lockedUntil().plus(Duration.ofDays(2));
            assertThat(repo.changeLock(rp, later, false).lockedUntil()).isEqualTo(later);
        }
    }

    /**
     * The proof against an attacker holding the connector's S3 permissions (no bypass): after a backup into a
     * locked bucket, every object version is deleted where S3 lets it, every key overwritten and then hidden by a
     * delete marker; the recovery point still restores byte for byte.
     */
    @Test
    void anAttackerWithPlainS3CallsCannotDestroyALockedRecoveryPoint(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator);
                S3Client attacker = EmulatorClients.s3(emulator)) {
            var bucket = "locked-e";
            var store = lockedStore(s3, bucket, ObjectLockRetentionMode.GOVERNANCE, 30);
            var clock = clock();
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
            var image = TestRepositories.random(7, 5 * BLOCK + 1234);
            var text = TestRepositories.text(8, 300_000);
            var block = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id();
            var stream = repo.backupStream(new ByteArrayInputStream(text), BackupOptions.defaults())
                    .id();

            int refused = 0;
            int deleted = 0;
            var keys = new HashSet<String>();
            var versions = new ArrayList<String[]>();
            attacker.listObjectVersionsPaginator(r -> r.bucket(bucket))
                    .forEach(page -> page.versions().forEach(v -> versions.add(new String[] {v.key(), v.versionId()})));
            for (var v : versions) {
                keys.add(v[0]);
                try {
                    attacker.deleteObject(r -> r.bucket(bucket).key(v[0]).versionId(v[1]));
                    deleted++;
                } catch (S3Exception e) {
                    assertThat(e.statusCode()).isEqualTo(403);
                    refused++;
                }
            }
            assertThat(deleted).isZero();
            assertThat(refused).isEqualTo(versions.size()).isGreaterThan(10);
            for (var key : keys) {
                attacker.putObject(
                        r -> r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        RequestBody.fromString("ransom note for " + key));
            }
            for (var key : keys) {
                if (!key.equals("scalez/config")) {
                    attacker.deleteObject(r -> r.bucket(bucket).key(key)); // a delete marker over the overwrite
                }
            }
            assertThat(store.list("packs/")).isEmpty();

            var reopened = Repository.open(
                    new S3BlobStore(s3, bucket, "scalez"),
                    TestRepositories.PASSPHRASE,
                    TestRepositories.options(clock));
            assertThat(ObjectId.sha256(restore(reopened, block))).isEqualTo(ObjectId.sha256(image));
            assertThat(ObjectId.sha256(restore(reopened, stream))).isEqualTo(ObjectId.sha256(text));
        }
    }
}
