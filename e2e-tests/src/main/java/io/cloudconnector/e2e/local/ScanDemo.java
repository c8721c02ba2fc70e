package io.cloudconnector.e2e.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scan demo of {@code ./connector demo}, after the backup demo: the recovery point it made last is scanned as a
 * user would ({@code POST /v1/scans}, the job followed in the job-status service), the report's verdict is printed
 * with its counts (files, bytes, detections, findings) and what its signatures were, and the asset's last clean
 * recovery point is read from the inventory ({@code GET /v1/assets/{id}}; the demo's volume is new, so a discovery
 * job is started first when the inventory does not know it yet).
 */
final class ScanDemo {

    private final PrintStream out;
    private final List<String> failures;
    private final DemoClient client;
    private final JsonMapper json;
    private final Map<String, Object> report = new LinkedHashMap<>();

    ScanDemo(Function<LocalService, URI> services, PrintStream out, List<String> failures, Duration timeout) {
        this.out = out;
        this.failures = failures;
        this.client = new DemoClient(services, out, failures, timeout);
        this.json = client.json();
    }

    /**
     * The step as the demo command calls it: scans the recovery point of {@code backup} (the backup demo's result:
     * its incremental backup's point, else its full one's) unless something failed before.
     */
    static Map<String, Object> afterBackup(
            @Nullable Object backup, String token, PrintStream out, List<String> failures) throws Exception {
        if (!failures.isEmpty() || !(backup instanceof Map<?, ?> backupReport)) {
            return Map.of("skipped", true);
        }
        var point = pointOf(backupReport);
        if (point == null) {
            return Map.of("skipped", true);
        }
        return new ScanDemo(DemoClient.local(), out, failures, Duration.ofMinutes(10)).run(token, point);
    }

    static @Nullable String pointOf(Map<?, ?> backupReport) {
        for (var key : List.of("incrementalBackup", "fullBackup")) {
            if (backupReport.get(key) instanceof Map<?, ?> backup
                    && backup.get("recoveryPointId") instanceof String id
                    && !id.isBlank()) {
                return id;
            }
        }
        return null;
    }

    /** Scans {@code recoveryPointId}; returns what it found (for {@code --json}). Failures are added, not thrown. */
    Map<String, Object> run(String token, String recoveryPointId) throws IOException, InterruptedException {
        Instant started = Instant.now();
        out.printf("%n8. Threat scan of recovery point %s (ClamAV, YARA, ransomware heuristics):%n", recoveryPointId);
        report.put("recoveryPointId", recoveryPointId);
        var accepted = send(
                LocalService.INTEGRITY,
                "POST",
                "/v1/scans",
                token,
                "{\"recoveryPointId\":\"" + recoveryPointId + "\"}");
        if (accepted.statusCode() != 202) {
            failures.add("the scan was refused: " + accepted.statusCode() + " " + accepted.body());
            return report;
        }
        String jobId = json.readTree(accepted.body()).path("jobId").asString();
        out.printf("   POST /v1/scans → 202, job %s%n", jobId);
        report.put("jobId", jobId);
        var job = follow(token, jobId);
        if (job == null) {
            return report;
        }
        String reportId = job.path("result").path("reportId").asString();
        var answer = send(LocalService.INTEGRITY, "GET", "/v1/integrity/reports/" + reportId, token, null);
        if (answer.statusCode() != 200) {
            failures.add("report " + reportId + " cannot be read: " + answer.statusCode());
            return report;
        }
        var scan = json.readTree(answer.body());
        var details = scan.path("details");
        var counts = details.path("counts");
        String verdict = scan.path("verdict").asString();
        long files = counts.path("files").asLong();
        long bytes = counts.path("bytesScanned").asLong();
        long detections = counts.path("detections").asLong();
        int findings = details.path("findings").size();
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        out.printf(
                "   verdict %s: %d files scanned (%s), %d detection%s, %d finding%s   %.1f s%n",
                verdict.toUpperCase(java.util.Locale.ROOT),
                files,
                JobsCommand.bytes(bytes),
                detections,
                detections == 1 ? "" : "s",
                findings,
                findings == 1 ? "" : "s",
                seconds);
        for (var reason : details.path("reasons")) {
            out.printf("   - %s%n", reason.asString());
        }
        var signatures = details.path("engines").path("signatures");
        if (!signatures.isMissingNode()) {
            out.printf(
                    "   signatures: %s (%s)%s%n",
                    signatures.path("version").asString(),
                    signatures.path("source").asString(),
                    signatures.path("acceptable").asBoolean() ? "" : ", not acceptable for a clean verdict");
        }
        report.put("reportId", reportId);
        report.put("verdict", verdict);
        report.put("files", files);
        report.put("bytesScanned", bytes);
        report.put("detections", detections);
        report.put("findings", findings);
        report.put("seconds", seconds);
        lastClean(token, scan.path("assetId").asString(), recoveryPointId, verdict);
        return report;
    }

    /** The asset's last clean recovery point as the inventory shows it (after the verdict reached it). */
    private void lastClean(String token, String assetId, String recoveryPointId, String verdict)
            throws IOException, InterruptedException {
        String path = "/v1/assets/" + URLEncoder.encode(assetId, StandardCharsets.UTF_8);
        var asset = send(LocalService.INVENTORY, "GET", path, token, null);
        if (asset.statusCode() == 404) {
            // The demo's volume appeared after the inventory's last sweep: discover, as a user would.
            var discover = send(LocalService.INVENTORY, "POST", "/v1/assets:discover", token, "{\"types\":[\"ebs\"]}");
            if (discover.statusCode() != 202) {
                failures.add("discovery was refused: " + discover.statusCode() + " " + discover.body());
                return;
            }
            String jobId = json.readTree(discover.body()).path("jobId").asString();
            out.printf("   the inventory does not list %s yet: POST /v1/assets:discover → job %s%n", assetId, jobId);
            if (follow(token, jobId) == null) {
                return;
            }
        }
        boolean clean = verdict.equals("clean");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode found = null;
        while (Instant.now().isBefore(deadline)) {
            asset = send(LocalService.INVENTORY, "GET", path, token, null);
            if (asset.statusCode() == 200) {
                found = json.readTree(asset.body());
                // The verdict reaches the inventory through its inbox; a clean one must become the last clean point.
                if (!clean
                        || recoveryPointId.equals(
                                found.path("lastCleanRecoveryPointId").asString(""))) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        if (found == null) {
            failures.add("the inventory does not list asset " + assetId);
            return;
        }
        String lastClean = found.path("lastCleanRecoveryPointId").asString("");
        report.put("assetId", assetId);
        report.put("lastCleanRecoveryPointId", lastClean);
        if (lastClean.isEmpty()) {
            out.printf("   asset %s: no clean recovery point (this one is %s)%n", assetId, verdict);
        } else {
            out.printf(
                    "   asset %s: last clean recovery point %s (%s)   %s%n",
                    assetId,
                    lastClean,
                    found.path("lastCleanRecoveryPointAt").asString(""),
                    lastClean.equals(recoveryPointId) ? "ok" : "");
        }
        if (clean && !lastClean.equals(recoveryPointId)) {
            failures.add("the inventory's last clean recovery point of " + assetId + " is '" + lastClean + "', not "
                    + recoveryPointId);
        }
    }

    private @Nullable JsonNode follow(String token, String jobId) throws IOException, InterruptedException {
        return client.follow(token, jobId);
    }

    private HttpResponse<String> send(
            LocalService service, String method, String path, String token, @Nullable String body)
            throws IOException, InterruptedException {
        return client.send(service, method, path, token, body);
    }
}
