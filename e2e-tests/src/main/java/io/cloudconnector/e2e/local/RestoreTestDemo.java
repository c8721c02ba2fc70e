package io.cloudconnector.e2e.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The restore-test step of {@code ./connector demo}, last: the backup demo's newest recovery point is restore-tested
 * as a user (or a policy's {@code restoreTest}) would ({@code POST /v1/restore-tests}): restored into scratch
 * snapshots, read back block by block against the point, timed, the scratch deleted. The step prints the job's
 * outcome, the point's {@code lastRestoreTest} from the catalog and the asset's tested point from the inventory
 * ({@code protection.lastTestedRecoveryPoint}), each once the event reached it.
 */
final class RestoreTestDemo {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final DemoClient client;
    private final PrintStream out;
    private final List<String> failures;
    private final Map<String, Object> report = new LinkedHashMap<>();

    RestoreTestDemo(DemoClient client, PrintStream out, List<String> failures) {
        this.client = client;
        this.out = out;
        this.failures = failures;
    }

    /** The step as the demo command calls it: tests the backup demo's newest point, unless something failed. */
    static Map<String, Object> afterBackup(
            @Nullable Object backup, String token, PrintStream out, List<String> failures) throws Exception {
        if (!failures.isEmpty() || !(backup instanceof Map<?, ?> backupReport)) {
            return Map.of("skipped", true);
        }
        var point = ScanDemo.pointOf(backupReport);
        if (point == null) {
            return Map.of("skipped", true);
        }
        var client = new DemoClient(DemoClient.local(), out, failures, Duration.ofMinutes(10));
        return new RestoreTestDemo(client, out, failures).run(token, point);
    }

    /** Restore-tests {@code recoveryPointId}; returns what it found (for {@code --json}). */
    Map<String, Object> run(String token, String recoveryPointId) throws IOException, InterruptedException {
        out.printf(
                "%n11. Restore test of recovery point %s (restored into scratch snapshots, read back, timed,"
                        + " the scratch deleted):%n",
                recoveryPointId);
        report.put("recoveryPointId", recoveryPointId);
        Instant started = Instant.now();
        var accepted = client.send(
                LocalService.BACKGROUND_JOBS,
                "POST",
                "/v1/restore-tests",
                token,
                "{\"recoveryPointId\":\"" + recoveryPointId + "\"}");
        if (accepted.statusCode() != 202) {
            failures.add("the restore test was refused: " + accepted.statusCode() + " " + accepted.body());
            return report;
        }
        String jobId = client.json().readTree(accepted.body()).path("jobId").asString();
        out.printf("   POST /v1/restore-tests → 202, job %s%n", jobId);
        report.put("jobId", jobId);
        if (client.follow(token, jobId) == null) {
            return report;
        }
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        var point = await(
                token,
                LocalService.CATALOG,
                "/v1/recovery-points/" + recoveryPointId,
                p -> jobId.equals(p.path("lastRestoreTest").path("jobId").asString("")));
        if (point == null) {
            failures.add("the catalog does not show the restore test " + jobId + " on " + recoveryPointId);
            return report;
        }
        var test = point.path("lastRestoreTest");
        boolean passed = test.path("passed").asBoolean(false);
        double recoveryTime = test.path("recoveryTimeSeconds").asDouble();
        out.printf(
                "   lastRestoreTest: %s, recovery time %.1f s (tested at %s)   %.1f s   %s%n",
                passed ? "passed" : "FAILED " + test.path("reasons"),
                recoveryTime,
                test.path("testedAt").asString(""),
                seconds,
                passed ? "ok" : "");
        report.put("passed", passed);
        report.put("recoveryTimeSeconds", recoveryTime);
        report.put("seconds", seconds);
        if (!passed) {
            failures.add("the restore test of " + recoveryPointId + " failed: " + test.path("reasons"));
            return report;
        }
        testedPoint(token, point.path("assetId").asString(""), recoveryPointId);
        return report;
    }

    /** The asset's tested point as the inventory shows it, once the test's event reached it. */
    private void testedPoint(String token, String assetId, String recoveryPointId)
            throws IOException, InterruptedException {
        var asset = await(
                token,
                LocalService.INVENTORY,
                "/v1/assets/" + URLEncoder.encode(assetId, StandardCharsets.UTF_8),
                a -> recoveryPointId.equals(a.path("protection")
                        .path("lastTestedRecoveryPoint")
                        .path("id")
                        .asString("")));
        if (asset == null) {
            failures.add("the inventory does not show " + recoveryPointId + " as the tested point of " + assetId);
            return;
        }
        var tested = asset.path("protection").path("lastTestedRecoveryPoint");
        out.printf(
                "   asset %s: last tested recovery point %s (recovery time %.1f s)   ok%n",
                assetId,
                tested.path("id").asString(),
                tested.path("recoveryTimeSeconds").asDouble());
        report.put("assetId", assetId);
        report.put("lastTestedRecoveryPointId", tested.path("id").asString());
    }

    private @Nullable JsonNode await(String token, LocalService service, String path, Predicate<JsonNode> done)
            throws IOException, InterruptedException {
        return client.awaitAnswer(token, service, path, done, SETTLE);
    }
}
