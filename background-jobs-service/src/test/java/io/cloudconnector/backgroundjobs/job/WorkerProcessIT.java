package io.cloudconnector.backgroundjobs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.backgroundjobs.EmulatedVolumes;
import io.cloudconnector.backgroundjobs.OtherInboxes;
import io.cloudconnector.backgroundjobs.TestVaults;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The worker entry point as a Batch job runs it, in its own process: {@code java -jar …-exec.jar --worker
 * --job-id=j-…} against the emulator. A worker killed (SIGKILL) in the middle of a backup leaves no recovery point;
 * the next worker for the same job (what Batch's retry strategy starts) waits out the dead one's lease, runs the
 * job again and exits 0, and the point it wrote restores block for block. The job is stored as the service stores
 * an accepted one; this context runs nothing itself (local mode, no reconciling), so only the worker processes do.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.jobs.ebs-concurrency=4"
        })
// The emulator is reset before each class: a context cached from another class would talk to resources that are gone.
@DirtiesContext
class WorkerProcessIT extends ServiceIntegrationTests {

    /** Enough data for a backup to take a few seconds here, so that it can be killed in the middle. */
    private static final int BLOCKS = 320;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    JobStore store;

    @Override
    protected String listPath() {
        return "/v1/backups";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @Test
    void aWorkerKilledMidBackupLeavesNoRecoveryPointAndTheNextWorkerFinishesTheJob() throws Exception {
        var emulator = AwsEmulator.shared();
        VaultCreated vault = TestVaults.create(emulator, inbox, "workers");
        try (var volumes = new EmulatedVolumes(emulator);
                var inboxes = new OtherInboxes(emulator)) {
            var data = EmulatedVolumes.blocks(
                    11, LongStream.range(0, BLOCKS).map(i -> 3 * i + 1).toArray());
            String snapshot = volumes.seed(1, data);
            String volume = volumes.volumeFrom(snapshot, 1);
            // A tenant's own snapshot: the worker takes it as it is (no emulator shim in AWS mode).
            var job = JobRecord.queued(
                    Ids.job(),
                    JobKind.EBS_BACKUP,
                    vault.vaultId(),
                    "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":" + emulator.region() + ":" + volume,
                    null,
                    Map.of("snapshotId", snapshot),
                    Clock.systemUTC().instant());
            store.create(job, "BACKUP");

            var first = worker(emulator, job.id(), 1);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !first.isAlive()
                            || inboxes.of("jobstatus", JobProgressed.class).stream()
                                    .anyMatch(p -> p.jobId().equals(job.id()) && p.bytesDone() > 0));
            assertThat(first.isAlive())
                    .as("the first worker is still backing up")
                    .isTrue();
            first.destroyForcibly().waitFor();

            var killed = store.find(job.id()).orElseThrow();
            assertThat(killed.state()).isEqualTo(JobState.RUNNING);
            assertThat(killed.attempt()).isEqualTo(1);
            List<String> before = TestVaults.read(
                    emulator, vault, r -> r.list().stream().map(p -> p.id()).toList());
            assertThat(before).as("recovery points").isEmpty();

            var second = worker(emulator, job.id(), 2);
            assertThat(second.waitFor(5, TimeUnit.MINUTES))
                    .as("the second worker ends")
                    .isTrue();

            assertThat(second.exitValue()).as(log(2)).isZero();
            var done = store.find(job.id()).orElseThrow();
            assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(2);
            String pointId = done.result().recoveryPointId();
            List<String> after = TestVaults.read(
                    emulator, vault, r -> r.list().stream().map(p -> p.id()).toList());
            assertThat(after).containsExactly(pointId);
            assertThat(inboxes.of("catalog", RecoveryPointCreated.class))
                    .extracting(RecoveryPointCreated::recoveryPointId)
                    .containsExactly(pointId);

            var restore = send(
                    "POST",
                    "/v1/restores",
                    "{\"recoveryPointId\":\"" + pointId + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                    bearerWith(Scopes.RESTORES_WRITE));
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
            String restoreId = EventCodec.standardMapper()
                    .readTree(restore.body())
                    .get("jobId")
                    .asString();
            var restored = await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> store.find(restoreId).orElseThrow(),
                            j -> j.state().finished());
            assertThat(restored.state())
                    .as(String.valueOf(restored.errorMessage()))
                    .isEqualTo(JobState.SUCCEEDED);
            var read = volumes.read(restored.result().snapshotId());
            assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(data.keySet());
            data.forEach((index, bytes) ->
                    assertThat(read.get(index)).as("block %d", index).isEqualTo(bytes));
        }
    }

    /**
     * Ten maintenance runs of a vault full of garbage, each a worker process killed (SIGKILL) a little later than the
     * last (before, during and after its prune); after every kill the repository checks clean, and a final run that
     * is left alone reclaims what is left: the kept points still restore byte for byte.
     */
    @Test
    void maintenanceKilledMidWayLeavesTheVaultConsistentAndTheNextRunFinishesTheWork() throws Exception {
        var emulator = AwsEmulator.shared();
        VaultCreated vault = TestVaults.create(emulator, inbox, "maintenance-killed");
        var random = new java.util.SplittableRandom(7);
        Map<String, byte[]> kept = new java.util.HashMap<>();
        List<String> garbage = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            var data = new byte[1 << 20];
            random.nextBytes(data);
            String id = TestVaults.read(
                            emulator,
                            vault,
                            r -> r.backupStream(
                                    new java.io.ByteArrayInputStream(data),
                                    io.cloudconnector.scalez.backup.BackupOptions.defaults()))
                    .id();
            if (i % 2 == 0) {
                garbage.add(id);
            } else {
                kept.put(id, data);
            }
        }
        TestVaults.read(emulator, vault, r -> {
            garbage.forEach(r::forget);
            return null;
        });
        long before = TestVaults.read(emulator, vault, r -> r.stats().storedBytes());

        for (int run = 1; run <= 10; run++) {
            var job = maintenanceJob(vault);
            var worker = maintenanceWorker(emulator, job.id(), run);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !worker.isAlive()
                            || store.find(job.id()).orElseThrow().state() != JobState.QUEUED);
            Thread.sleep(400L * run);
            worker.destroyForcibly().waitFor();
            // The dead worker's locks lapse after their TTL (5 s): the next run then starts its work at once, so
            // that the kills spread over opening, forgetting, pruning and checking rather than over a lock wait.
            Thread.sleep(6_000);
            List<io.cloudconnector.scalez.model.Finding> damage =
                    TestVaults.read(emulator, vault, r -> r.check().damage());
            assertThat(damage)
                    .as("damage after the run killed after %d ms", 400 * run)
                    .isEmpty();
        }
        var last = maintenanceJob(vault);
        var finishing = maintenanceWorker(emulator, last.id(), 11);
        assertThat(finishing.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(finishing.exitValue()).as(log(111)).isZero();
        var done = store.find(last.id()).orElseThrow();
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result().damage()).isEmpty();

        boolean clean = TestVaults.read(emulator, vault, r -> r.checkReadData().isClean());
        assertThat(clean).isTrue();
        long stored = TestVaults.read(emulator, vault, r -> r.stats().storedBytes());
        // Every garbage point had packs of its own, so half the vault goes. A run killed between its index and pack
        // deletes left its plan (storage-format §9), and so did a run killed after storing its repacked packs but
        // before an index listed them: the next run deleted those packs without waiting out the hour of orphan grace.
        assertThat(stored)
                .as("stored bytes after the last run (%d before the runs)", before)
                .isLessThan(before * 6 / 10);
        for (var point : kept.entrySet()) {
            var out = new java.io.ByteArrayOutputStream();
            TestVaults.read(emulator, vault, r -> {
                r.restoreStream(point.getKey(), out, io.cloudconnector.scalez.model.ProgressListener.NONE);
                return null;
            });
            assertThat(out.toByteArray()).as(point.getKey()).isEqualTo(point.getValue());
        }
    }

    private JobRecord maintenanceJob(VaultCreated vault) {
        var job = JobRecord.queued(
                Ids.job(),
                JobKind.VAULT_MAINTENANCE,
                vault.vaultId(),
                null,
                null,
                Map.of(),
                Clock.systemUTC().instant());
        store.create(job, "MAINTENANCE");
        return job;
    }

    /**
     * A maintenance worker (log {@code worker-process-it-1<n>.log}) whose locks lapse 5 s after it is killed, so that
     * the next run need not wait long.
     */
    private static Process maintenanceWorker(AwsEmulator emulator, String jobId, int n) throws IOException {
        return worker(
                emulator,
                jobId,
                100 + n,
                "--connector.jobs.maintenance-lock-ttl=5s",
                "--connector.jobs.maintenance-lock-wait=2m");
    }

    /** Starts a worker process for the job, configured as the vault's Batch job definition would configure it. */
    private static Process worker(AwsEmulator emulator, String jobId, int n, String... extra) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-jar",
                execJar().toString(),
                "--worker",
                "--job-id=" + jobId,
                "--connector.id=" + TestTokens.CONNECTOR_ID,
                "--connector.aws.endpoint=" + emulator.endpoint(),
                "--connector.aws.region=" + emulator.region(),
                "--connector.aws.access-key-id=test",
                "--connector.aws.secret-access-key=test",
                "--connector.jobs.mode=aws",
                "--connector.jobs.lease=3s",
                "--connector.jobs.heartbeat=500ms",
                "--connector.jobs.ebs-concurrency=4",
                "--spring.output.ansi.enabled=never"));
        command.addAll(List.of(extra));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile(n).toFile());
        builder.environment().put("CONNECTOR_SECURITY_PUBLIC_KEY", TOKENS.publicKeyPem());
        return builder.start();
    }

    private static Path execJar() throws IOException {
        try (var jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("No -exec.jar in target/: run mvn verify (package first)"))
                    .toAbsolutePath();
        }
    }

    private static Path logFile(int n) {
        return Path.of("target", "worker-process-it-" + n + ".log").toAbsolutePath();
    }

    private static String log(int n) throws IOException {
        var lines = Files.readAllLines(logFile(n));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
