package io.cloudconnector.scalez.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.model.Finding;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a backup at random points, 20 times: afterwards check passes, every earlier recovery point restores
 * identically, and the next backup completes and reuses the packs the killed one had uploaded.
 */
class KillBackupIT {

    private static final int BLOCK = 512 * 1024;
    private static final int BLOCKS = 48;
    private static final int CHANGED_PER_RUN = 16;
    private static final String PASSPHRASE = "kill test";
    private static final Pattern ADDED =
            Pattern.compile("\"recoveryPointId\":\"(rp-[0-9A-Z]{26})\".*\"bytesAdded\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void killedBackupsLeaveARepositoryThatChecksRestoresAndResumes() throws Exception {
        var store = new FileSystemBlobStore(dir.resolve("repo"));
        var credential = new KeyCredential.Passphrase(PASSPHRASE, new KdfParameters(1024, 1, 1));
        // Small packs, so that a killed backup has usually uploaded some of them.
        var repo = Repository.init(
                store,
                credential,
                RepositorySettings.defaults().withPackSize(1024 * 1024),
                RepositoryOptions.defaults());
        var cli = new Cli(Map.of("SCALEZ_PASSWORD", PASSPHRASE));
        var image = dir.resolve("disk.img");
        var random = new Random(20260101);
        try (var file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength((long) BLOCKS * BLOCK);
        }
        var expected = new LinkedHashMap<String, ObjectId>();
        var first = cli.run(dir, "backup", "--repo", "repo", "--json", "--block", "disk.img");
        var firstJson = ADDED.matcher(first.stdout());
        assertThat(firstJson.find()).as(first.stderr()).isTrue();
        expected.put(firstJson.group(1), ObjectId.sha256(java.nio.file.Files.readAllBytes(image)));
        int killedMidway = 0;
        int reusedRuns = 0;
        for (int run = 0; run < 20; run++) {
            rewriteBlocks(image, random);
            var content = ObjectId.sha256(java.nio.file.Files.readAllBytes(image));

            var process = cli.builder(dir, "backup", "--repo", "repo", "--json", "--block", "disk.img")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // The kill point: once a random number (0 to 9) of new packs is on disk, i.e. from JVM start-up
            // through the uploads to the index and manifest writes; the new data makes about 8 packs.
            int packsBefore = packCount(store);
            int target = packsBefore + random.nextInt(10);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> !process.isAlive() || packCount(store) >= target);
            boolean finished = !process.isAlive();
            if (!finished) {
                process.destroyForcibly().waitFor();
                killedMidway++;
            }

            var check = repo.check();
            assertThat(check.isClean()).as("check after run %d: %s", run, check).isTrue();
            long orphanBytes = check.warnings().stream()
                    .map(Finding::object)
                    .mapToLong(key -> store.stat(key).orElseThrow().size())
                    .sum();

            // A backup killed after writing its manifest (while exiting) made a complete recovery point.
            for (var p : repo.list()) {
                expected.putIfAbsent(p.id(), content);
            }
            var next = cli.run(dir, "backup", "--repo", "repo", "--json", "--block", "disk.img");
            assertThat(next.exitCode()).as(next.stderr()).isZero();
            var json = ADDED.matcher(next.stdout());
            assertThat(json.find()).isTrue();
            long added = Long.parseLong(json.group(2));
            // The new data is CHANGED_PER_RUN random blocks; what the killed run uploaded is not uploaded again.
            assertThat(added + orphanBytes)
                    .as("run %d", run)
                    .isLessThanOrEqualTo((long) CHANGED_PER_RUN * BLOCK + 256 * 1024);
            if (orphanBytes > BLOCK) {
                reusedRuns++;
                assertThat(added).isLessThan((long) CHANGED_PER_RUN * BLOCK - BLOCK / 2);
            }
            expected.put(json.group(1), content);
            assertThat(restoredHash(repo, json.group(1))).isEqualTo(content);
        }
        System.out.printf(
                "kill test: %d of 20 runs killed midway, %d successors reused uploaded packs%n",
                killedMidway, reusedRuns);
        assertThat(killedMidway).as("runs killed before they finished").isGreaterThanOrEqualTo(10);
        assertThat(reusedRuns).as("runs whose successor reused uploaded packs").isGreaterThanOrEqualTo(3);

        assertThat(repo.checkReadData().damage()).isEmpty();
        assertThat(repo.list()).hasSize(expected.size());
        for (var e : expected.entrySet()) {
            assertThat(restoredHash(repo, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static void rewriteBlocks(Path image, Random random) throws Exception {
        try (var file = new RandomAccessFile(image.toFile(), "rw")) {
            var block = new byte[BLOCK];
            for (int i = 0; i < CHANGED_PER_RUN; i++) {
                random.nextBytes(block);
                file.seek((long) random.nextInt(BLOCKS) * BLOCK);
                file.write(block);
            }
        }
    }

    private static int packCount(FileSystemBlobStore store) {
        return store.list("packs/").size();
    }

    private static ObjectId restoredHash(Repository repo, String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return ObjectId.sha256(out.toByteArray());
    }
}
