package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.BlobInfo;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.maintenance.MaintenanceOptions;
import io.cloudconnector.scalez.maintenance.MaintenanceResult;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The vault-maintenance run of the engine in S3 (moto): beside a running backup, and what it frees. */
@WithAwsEmulator
class MaintenanceIT {

    private static final int MIB = 1024 * 1024;

    private static RepositoryOptions options() {
        return RepositoryOptions.defaults()
                .withClock(Clock.systemUTC())
                .withWorkers(2)
                .withLockWait(Duration.ofSeconds(60));
    }

    private static ObjectId restoredHash(Repository repo, String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return ObjectId.sha256(out.toByteArray());
    }

    private static long storedBytes(S3BlobStore store) {
        return store.list("").stream().mapToLong(BlobInfo::size).sum();
    }

    @Test
    void maintenanceBesideRunningBackupsLeavesEveryPointRestorable(AwsEmulator emulator) throws Exception {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            s3.createBucket(r -> r.bucket("maintained-a"));
            var store = new S3BlobStore(s3, "maintained-a", "");
            var repo = Repository.init(store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, options());
            var expected = new ConcurrentHashMap<String, ObjectId>();
            var first = new ArrayList<String>();
            for (int i = 0; i < 4; i++) {
                var data = TestRepositories.random(100 + i, 700_000);
                var id = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                        .id();
                expected.put(id, ObjectId.sha256(data));
                first.add(id);
            }
            try (var executor = Executors.newFixedThreadPool(2)) {
                Future<?> backups = executor.submit(() -> {
                    for (int i = 0; i < 4; i++) {
                        var data = TestRepositories.random(200 + i, 600_000);
                        var other = Repository.open(store, TestRepositories.PASSPHRASE, options());
                        var id = other.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                                .id();
                        expected.put(id, ObjectId.sha256(data));
                    }
                    return null;
                });
                Future<List<MaintenanceResult>> maintenance = executor.submit(() -> {
                    var runs = new ArrayList<MaintenanceResult>();
                    for (int i = 0; i < 3; i++) {
                        var own = Repository.open(store, TestRepositories.PASSPHRASE, options());
                        runs.add(own.maintain(MaintenanceOptions.defaults().withForget(first.subList(0, 2))));
                    }
                    return runs;
                });
                backups.get();
                var runs = maintenance.get();
                assertThat(runs).allSatisfy(r -> assertThat(r.damage()).isEmpty());
                assertThat(runs.stream()
                                .mapToInt(MaintenanceResult::recoveryPointsForgotten)
                                .sum())
                        .isEqualTo(2);
            }
            expected.remove(first.get(0));
            expected.remove(first.get(1));
            assertThat(repo.list().stream().map(RecoveryPoint::id))
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(repo.checkReadData().isClean()).isTrue();
            for (Map.Entry<String, ObjectId> e : expected.entrySet()) {
                assertThat(restoredHash(repo, e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    /** The figures for the notes: bytes freed by one maintenance run after forgetting half the points, and its time. */
    @Test
    void forgettingHalfThePointsFreesTheirBytes(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            s3.createBucket(r -> r.bucket("maintained-b"));
            var store = new S3BlobStore(s3, "maintained-b", "");
            var repo = Repository.init(
                    store, TestRepositories.PASSPHRASE, TestRepositories.SMALL.withPackSize(4 * MIB), options());
            // 8 points of one evolving 16 MiB stream: each rewrites a quarter, so points share most data and
            // forgetting the older half leaves some packs wholly garbage and some partly (repacked).
            var data = TestRepositories.random(1, 16 * MIB);
            var ids = new ArrayList<String>();
            for (int i = 0; i < 8; i++) {
                var changed = TestRepositories.random(10 + i, 4 * MIB);
                System.arraycopy(changed, 0, data, (i % 4) * 4 * MIB, changed.length);
                ids.add(repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                        .id());
            }
            var last = ObjectId.sha256(data);
            long before = storedBytes(store);
            long started = System.nanoTime();
            var result = repo.maintain(MaintenanceOptions.defaults().withForget(ids.subList(0, 4)));
            var took = Duration.ofNanos(System.nanoTime() - started);
            long after = storedBytes(store);
            System.out.printf(
                    "MAINTENANCE FIGURES: 8 points of a 16 MiB stream (a quarter rewritten each), forgot 4: stored"
                            + " %d -> %d bytes, bytesFreed %d, packsDeleted %d, packsRepacked %d, checkedPacks %d,"
                            + " took %d ms%n",
                    before,
                    after,
                    result.bytesFreed(),
                    result.packsDeleted(),
                    result.packsRepacked(),
                    result.checkedPacks(),
                    took.toMillis());
            assertThat(result.recoveryPointsForgotten()).isEqualTo(4);
            assertThat(result.damage()).isEmpty();
            assertThat(result.bytesFreed()).isPositive();
            // What the run reports freed is what the bucket lost, within the manifests it deleted.
            assertThat(before - after).isBetween(result.bytesFreed(), result.bytesFreed() + 64 * 1024);
            assertThat(restoredHash(repo, ids.getLast())).isEqualTo(last);
            assertThat(repo.check().isClean()).isTrue();
        }
    }
}
