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
 * The restore-test step of the demo against a fake of the four services it calls (background-jobs, job status,
 * catalog, inventory) on the loopback, answering as they do: the demo itself needs the fixed ports of a local stack.
 */
class RestoreTestDemoTests {

    private static final String RP = "rp-01JDEMO0000000000000000002";
    private static final String ASSET = "aws:ebs:123456789012:us-east-1:vol-0demo";

    private List<String> requests = List.of();
    private final AtomicInteger jobPolls = new AtomicInteger();
    private final AtomicInteger pointReads = new AtomicInteger();
    private final AtomicInteger assetReads = new AtomicInteger();
    private volatile String jobEnd = "succeeded";
    private volatile int accept = 202;
    private FakeServices server;

    private URI start() throws IOException {
        server = new FakeServices((exchange, route) -> {
            switch (route) {
                case "POST /v1/restore-tests" ->
                    FakeServices.reply(
                            exchange,
                            accept,
                            accept == 202
                                    ? "{\"jobId\":\"j-rt\"}"
                                    : "{\"status\":409,\"detail\":\"recoveryPointId: the point is deleted\"}");
                case "GET /v1/jobs/j-rt" -> {
                    if (jobPolls.incrementAndGet() < 3) {
                        FakeServices.reply(exchange, 200, "{\"id\":\"j-rt\",\"state\":\"running\"}");
                    } else if (jobEnd.equals("succeeded")) {
                        FakeServices.reply(exchange, 200, "{\"id\":\"j-rt\",\"state\":\"succeeded\",\"result\":{}}");
                    } else {
                        FakeServices.reply(
                                exchange,
                                200,
                                "{\"id\":\"j-rt\",\"state\":\"failed\",\"error\":{\"code\":\"restore-test-failed\","
                                        + "\"message\":\"block 7 of vol-1 differs\"}}");
                    }
                }
                case "GET /v1/recovery-points/" + RP -> {
                    // the first read: the test's event has not reached the catalog's inbox yet
                    String test = pointReads.incrementAndGet() < 2
                            ? ""
                            : ",\"lastRestoreTest\":{\"passed\":true,\"testedAt\":\"2026-12-07T21:00:00Z\","
                                    + "\"recoveryTimeSeconds\":4.2,\"reasons\":[],\"jobId\":\"j-rt\"}";
                    FakeServices.reply(
                            exchange, 200, "{\"id\":\"" + RP + "\",\"assetId\":\"" + ASSET + "\"" + test + "}");
                }
                case "GET /v1/assets/aws%3Aebs%3A123456789012%3Aus-east-1%3Avol-0demo" -> {
                    String tested = assetReads.incrementAndGet() < 2
                            ? "null"
                            : "{\"id\":\"" + RP + "\",\"createdAt\":\"2026-12-07T20:58:00Z\","
                                    + "\"testedAt\":\"2026-12-07T21:00:00Z\",\"recoveryTimeSeconds\":4.2}";
                    FakeServices.reply(
                            exchange,
                            200,
                            "{\"id\":\"" + ASSET + "\",\"protection\":{\"status\":\"protected\","
                                    + "\"lastTestedRecoveryPoint\":" + tested + "}}");
                }
                default -> FakeServices.reply(exchange, 404, "");
            }
        });
        requests = server.requests;
        return server.base();
    }

    private Map<String, Object> run(List<String> failures, ByteArrayOutputStream text) throws Exception {
        var base = start();
        var out = new PrintStream(text, true, StandardCharsets.UTF_8);
        var client = new DemoClient(s -> base, out, failures, Duration.ofSeconds(30));
        return new RestoreTestDemo(client, out, failures).run("token-1", RP);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void testsThePointAsAUserWouldAndShowsItOnThePointAndOnTheAsset() throws Exception {
        var text = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();

        var result = run(failures, text);

        var output = text.toString(StandardCharsets.UTF_8);
        assertThat(failures).isEmpty();
        assertThat(requests.getFirst())
                .isEqualTo("POST /v1/restore-tests {\"recoveryPointId\":\"" + RP + "\"} Bearer token-1");
        assertThat(pointReads).hasValueGreaterThanOrEqualTo(2);
        assertThat(assetReads).hasValueGreaterThanOrEqualTo(2);
        assertThat(output)
                .contains("11. Restore test of recovery point " + RP)
                .contains("POST /v1/restore-tests → 202, job j-rt")
                .contains("lastRestoreTest: passed, recovery time 4.2 s (tested at 2026-12-07T21:00:00Z)")
                .contains("asset " + ASSET + ": last tested recovery point " + RP + " (recovery time 4.2 s)   ok");
        assertThat(result)
                .containsEntry("jobId", "j-rt")
                .containsEntry("passed", true)
                .containsEntry("recoveryTimeSeconds", 4.2)
                .containsEntry("lastTestedRecoveryPointId", RP);
    }

    @Test
    void aTestThatFailsFailsTheDemoWithItsReasons() throws Exception {
        jobEnd = "failed";
        var text = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();

        run(failures, text);

        assertThat(failures).containsExactly("job j-rt failed: restore-test-failed: block 7 of vol-1 differs");
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("FAILED");
        assertThat(requests).noneMatch(r -> r.contains("/v1/assets") || r.contains("/v1/recovery-points"));
    }

    @Test
    void aRefusedTestFailsTheDemoWithTheAnswer() throws Exception {
        accept = 409;
        var text = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();

        run(failures, text);

        assertThat(failures).singleElement().asString().startsWith("the restore test was refused: 409");
        assertThat(requests).hasSize(1);
    }

    @Test
    void nothingIsTestedAfterAFailureOrWithoutABackup() throws Exception {
        var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        var backup = Map.of("fullBackup", Map.of("recoveryPointId", "rp-full"));
        assertThat(RestoreTestDemo.afterBackup(backup, "t", out, new ArrayList<>(List.of("the scan failed"))))
                .containsEntry("skipped", true);
        assertThat(RestoreTestDemo.afterBackup(null, "t", out, new ArrayList<>()))
                .containsEntry("skipped", true);
        assertThat(RestoreTestDemo.afterBackup(Map.of(), "t", out, new ArrayList<>()))
                .containsEntry("skipped", true);
    }
}
