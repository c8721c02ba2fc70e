package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scan step of the demo against a fake of the three services it calls (integrity, job status, inventory) on the
 * loopback, answering as they do: the demo itself needs the fixed ports of a local stack, which tests cannot take.
 */
class ScanDemoTests {

    private static final String RP = "rp-01JDEMO0000000000000000002";
    private static final String ASSET = "aws:ebs:123456789012:us-east-1:vol-0demo";

    private List<String> requests = List.of();
    private final AtomicInteger scanPolls = new AtomicInteger();
    private final AtomicInteger assetReads = new AtomicInteger();
    private volatile boolean discovered;
    private volatile String scanJob = "succeeded";
    private FakeServices server;

    private URI start() throws IOException {
        server = new FakeServices((exchange, route) -> {
            switch (route) {
                case "POST /v1/scans" -> FakeServices.reply(exchange, 202, "{\"jobId\":\"j-scan\"}");
                case "GET /v1/jobs/j-scan" -> {
                    if (scanPolls.incrementAndGet() < 3) {
                        FakeServices.reply(exchange, 200, "{\"id\":\"j-scan\",\"state\":\"running\"}");
                    } else if (scanJob.equals("succeeded")) {
                        FakeServices.reply(
                                exchange,
                                200,
                                "{\"id\":\"j-scan\",\"state\":\"succeeded\",\"result\":{\"reportId\":\"r-1\"}}");
                    } else {
                        FakeServices.reply(
                                exchange,
                                200,
                                "{\"id\":\"j-scan\",\"state\":\"failed\",\"error\":{\"code\":\"scan-engine-unavailable\","
                                        + "\"message\":\"Cannot start clamd\"}}");
                    }
                }
                case "GET /v1/integrity/reports/r-1" ->
                    FakeServices.reply(
                            exchange,
                            200,
                            "{\"id\":\"r-1\",\"kind\":\"scan\",\"verdict\":\"clean\",\"outcome\":\"pass\",\"recoveryPointId\":\""
                                    + RP + "\",\"assetId\":\"" + ASSET
                                    + "\",\"details\":{\"verdict\":\"clean\",\"reasons\":["
                                    + "\"no malware, no ransomware signs, no file-system damage in 1187 files\"],"
                                    + "\"counts\":{\"volumes\":1,\"files\":1187,\"bytesScanned\":67108864,\"detections\":0},"
                                    + "\"findings\":[{\"severity\":\"warning\",\"location\":\"clamav\",\"message\":\"m\"}],"
                                    + "\"engines\":{\"signatures\":{\"source\":\"built-in\",\"version\":\"built-in\","
                                    + "\"acceptable\":true}}}}");
                case "GET /v1/assets/aws%3Aebs%3A123456789012%3Aus-east-1%3Avol-0demo" -> {
                    if (!discovered) {
                        FakeServices.reply(exchange, 404, "{\"status\":404}");
                    } else if (assetReads.incrementAndGet() < 2) {
                        // the verdict has not reached the inventory's inbox yet
                        FakeServices.reply(exchange, 200, "{\"id\":\"" + ASSET + "\"}");
                    } else {
                        FakeServices.reply(
                                exchange,
                                200,
                                "{\"id\":\"" + ASSET + "\",\"lastCleanRecoveryPointId\":\"" + RP
                                        + "\",\"lastCleanRecoveryPointAt\":\"2026-12-07T07:00:00Z\"}");
                    }
                }
                case "POST /v1/assets:discover" -> FakeServices.reply(exchange, 202, "{\"jobId\":\"j-discover\"}");
                case "GET /v1/jobs/j-discover" -> {
                    discovered = true;
                    FakeServices.reply(exchange, 200, "{\"id\":\"j-discover\",\"state\":\"succeeded\",\"result\":{}}");
                }
                default -> FakeServices.reply(exchange, 404, "");
            }
        });
        requests = server.requests;
        return server.base();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scansThePointAsAUserWouldAndShowsTheVerdictCountsAndTheLastCleanPoint() throws Exception {
        var base = start();
        var text = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();

        var result = new ScanDemo(
                        s -> base,
                        new PrintStream(text, true, StandardCharsets.UTF_8),
                        failures,
                        Duration.ofSeconds(30))
                .run("token-1", RP);

        var output = text.toString(StandardCharsets.UTF_8);
        assertThat(failures).isEmpty();
        assertThat(requests.getFirst()).isEqualTo("POST /v1/scans {\"recoveryPointId\":\"" + RP + "\"} Bearer token-1");
        assertThat(requests).anyMatch(r -> r.startsWith("POST /v1/assets:discover"));
        assertThat(output)
                .contains("8. Threat scan of recovery point " + RP)
                .contains("POST /v1/scans → 202, job j-scan")
                .contains("verdict CLEAN: 1187 files scanned (64.0 MiB), 0 detections, 1 finding")
                .contains("- no malware, no ransomware signs, no file-system damage in 1187 files")
                .contains("signatures: built-in (built-in)")
                .contains("POST /v1/assets:discover → job j-discover")
                .contains("asset " + ASSET + ": last clean recovery point " + RP + " (2026-12-07T07:00:00Z)   ok");
        assertThat(result)
                .containsEntry("verdict", "clean")
                .containsEntry("files", 1187L)
                .containsEntry("detections", 0L)
                .containsEntry("findings", 1)
                .containsEntry("lastCleanRecoveryPointId", RP);
    }

    @Test
    void aScanThatCannotRunFailsTheDemoWithTheJobsError() throws Exception {
        scanJob = "failed";
        var base = start();
        var text = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();

        new ScanDemo(s -> base, new PrintStream(text, true, StandardCharsets.UTF_8), failures, Duration.ofSeconds(30))
                .run("token-1", RP);

        assertThat(failures).containsExactly("job j-scan failed: scan-engine-unavailable: Cannot start clamd");
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("FAILED");
        assertThat(requests).noneMatch(r -> r.contains("/v1/assets"));
    }

    @Test
    void theDemoScansTheBackupDemosLastPointAndNothingAfterAFailure() throws Exception {
        var backup = Map.of(
                "fullBackup", Map.of("recoveryPointId", "rp-full"),
                "incrementalBackup", Map.of("recoveryPointId", "rp-incremental"));

        assertThat(ScanDemo.pointOf(backup)).isEqualTo("rp-incremental");
        assertThat(ScanDemo.pointOf(Map.of("fullBackup", Map.of("recoveryPointId", "rp-full"))))
                .isEqualTo("rp-full");
        assertThat(ScanDemo.pointOf(Map.of())).isNull();
        var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(ScanDemo.afterBackup(backup, "t", out, new ArrayList<>(List.of("the restore was refused"))))
                .containsEntry("skipped", true);
        assertThat(ScanDemo.afterBackup(null, "t", out, new ArrayList<>())).containsEntry("skipped", true);
    }
}
