package io.cloudconnector.scalez.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.maintenance.MaintenanceOptions;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code scalez maintain} (forget, prune, check) at random moments, 10 times: after each, check passes
 * and every recovery point still listed restores identically; the next run (not killed) finishes the work.
 */
class KillMaintenanceIT {

    private static final String PASSPHRASE = "kill maintenance";
    private static final int SIZE = 3 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void killedMaintenanceLeavesARepositoryThatChecksAndTheNextRunFinishes() throws Exception {
        var store = new FileSystemBlobStore(dir.resolve("repo"));
        var credential = new KeyCredential.Passphrase(PASSPHRASE, new KdfParameters(1024, 1, 1));
        // Lock objects that a killed run leaves behind expire after 3 s (the CLI runs are given the same TTL).
        var options = RepositoryOptions.defaults()
                .withLockTtl(Duration.ofSeconds(3))
                .withLockWait(Duration.ofSeconds(60))
                .withWorkers(2);
        var repo =
                Repository.init(store, credential, RepositorySettings.defaults().withPackSize(512 * 1024), options);
        var cli = new Cli(Map.of("SCALEZ_PASSWORD", PASSPHRASE));
        var random = new Random(20261207);
        var data = new byte[SIZE];
        random.nextBytes(data);
        var expected = new LinkedHashMap<String, ObjectId>();
        var pendingForget = new ArrayList<String>();
        int killedMidway = 0;
        for (int run = 0; run < 10; run++) {
            for (int i = 0; i < 3; i++) {
                // Each point changes a third of the data: forgetting old points leaves packs partly garbage.
                var changed = new byte[SIZE / 3];
                random.nextBytes(changed);
                System.arraycopy(changed, 0, data, random.nextInt(SIZE - changed.length), changed.length);
                var point = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
                expected.put(point.id(), ObjectId.sha256(data));
            }
            var live = repo.list().stream().map(RecoveryPoint::id).toList();
            pendingForget.addAll(live.subList(0, Math.max(0, live.size() - 4)));
            var args = new ArrayList<>(List.of(
                    "maintain", "--repo", "repo", "--lock-ttl-seconds", "3", "--read-data-cycle-days", "1", "--json"));
            for (var id : pendingForget) {
                args.add("--forget");
                args.add(id);
            }
            var process = cli.builder(dir, args.toArray(String[]::new))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (run % 2 == 0) {
                // Kill as soon as the run has written its new index (mid-prune) or deleted a manifest.
                var indexes = keys(store, "index/");
                int points = store.list("snapshots/").size();
                Awaitility.await()
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> !process.isAlive()
                                || !keys(store, "index/").equals(indexes)
                                || store.list("snapshots/").size() != points);
            } else {
                Thread.sleep(300 + random.nextInt(2500));
            }
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
                killedMidway++;
            }

            var check = repo.check();
            assertThat(check.isClean()).as("check after run %d: %s", run, check).isTrue();
            var listed = repo.list().stream().map(RecoveryPoint::id).collect(Collectors.toSet());
            expected.keySet().retainAll(listed);
            pendingForget.retainAll(listed);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (var e : expected.entrySet()) {
                assertThat(restoredHash(repo, e.getKey()))
                        .as("%s after run %d", e.getKey(), run)
                        .isEqualTo(e.getValue());
            }
        }
        System.out.printf("maintenance kill test: %d of 10 runs killed midway%n", killedMidway);
        assertThat(killedMidway).as("runs killed before they finished").isGreaterThanOrEqualTo(5);

        // The next run, not killed, finishes what the killed ones left: the pending forgets, the prune, a clean check.
        var args = new ArrayList<>(List.of("maintain", "--repo", "repo", "--lock-ttl-seconds", "3", "--json"));
        for (var id : pendingForget) {
            args.add("--forget");
            args.add(id);
        }
        var last = cli.run(dir, args.toArray(String[]::new));
        assertThat(last.exitCode()).as(last.stderr()).isZero();
        assertThat(last.stdout()).contains("\"damage\":[]");
        expected.keySet().removeAll(Set.copyOf(pendingForget));
        assertThat(repo.list().stream().map(RecoveryPoint::id)).containsExactlyInAnyOrderElementsOf(expected.keySet());
        // Packs that killed runs wrote but never indexed are kept for the orphan grace (an hour by default); with
        // no grace, one more run leaves nothing unreferenced at all.
        var noGrace = Repository.open(store, credential, options.withOrphanGrace(Duration.ZERO));
        var result = noGrace.maintain(MaintenanceOptions.defaults().withReadDataCycleDays(1));
        assertThat(result.damage()).isEmpty();
        assertThat(result.checkedPacks()).isPositive();
        var finalCheck = noGrace.checkReadData();
        assertThat(finalCheck.isClean()).isTrue();
        assertThat(finalCheck.warnings()).isEmpty();
        for (var e : expected.entrySet()) {
            assertThat(restoredHash(noGrace, e.getKey())).isEqualTo(e.getValue());
        }
    }

    private static Set<String> keys(FileSystemBlobStore store, String prefix) {
        return store.list(prefix).stream().map(i -> i.key()).collect(Collectors.toSet());
    }

    private static ObjectId restoredHash(Repository repo, String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return ObjectId.sha256(out.toByteArray());
    }
}
