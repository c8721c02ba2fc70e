package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policy step of the demo against a stand-in for the services' APIs (the demo itself needs the local stack's fixed
 * ports): the requests it makes, in order, and what it reports.
 */
class PolicyDemoTests {

    private static final String ASSET = "aws:ebs:123456789012:us-east-1:vol-0123456789abcdef0";

    private final HttpServer server = start();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger runPolls = new AtomicInteger();
    private volatile String policyBody = "";

    private HttpServer start() {
        try {
            var http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", this::answer);
            http.start();
            return http;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String call =
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        requests.add(call);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = 200;
        String answer;
        switch (call) {
            case "POST /v1/assets:discover" -> {
                status = 202;
                answer = "{\"jobId\":\"j-discovery\"}";
            }
            case "GET /v1/jobs/j-discovery" -> answer = "{\"state\":\"succeeded\"}";
            case "POST /v1/policies" -> {
                policyBody = body;
                status = 201;
                answer = "{\"id\":\"pol-1\",\"selection\":{\"tags\":{\"Name\":\"cc-demo\"}}}";
            }
            case "GET /v1/policies/pol-1/runs" ->
                answer = runPolls.incrementAndGet() < 3
                        ? "{\"items\":[]}"
                        : "{\"items\":[{\"id\":\"run-1\",\"trigger\":\"schedule\",\"state\":\"completed\","
                                + "\"scheduledAt\":\"2026-12-07T08:01:00Z\",\"assetsSelected\":1,"
                                + "\"jobs\":[{\"assetId\":\"" + ASSET + "\",\"jobId\":\"j-backup\"}],\"skipped\":[]}]}";
            case "GET /v1/jobs/j-backup" ->
                answer = "{\"state\":\"succeeded\",\"result\":{\"recoveryPointId\":\"rp-1\"}}";
            case "GET /v1/assets" -> answer = "{\"items\":[{\"id\":\"" + ASSET + "\"}]}";
            default -> {
                if (call.equals("GET /v1/assets/" + ASSET)) {
                    answer = "{\"id\":\"" + ASSET + "\",\"protected\":true,\"lastRecoveryPointId\":\"rp-1\","
                            + "\"protection\":{\"status\":\"protected\",\"policyIds\":[\"pol-1\"]}}";
                } else {
                    status = 404;
                    answer = "{}";
                }
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private PolicyDemo demo(ByteArrayOutputStream printed, List<String> failures) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new PolicyDemo(
                service -> base,
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                failures,
                Duration.ofSeconds(10),
                Duration.ofMillis(10));
    }

    @Test
    void createsAOneMinutePolicyOnTheDemoTagAndShowsItsScheduledBackupAndTheProtection() throws Exception {
        var printed = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("vault", Map.of("vaultId", "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4"));
        report.put("backup", Map.of("volumeId", "vol-0123456789abcdef0"));

        demo(printed, failures).afterBackup("token", report);

        assertThat(failures).isEmpty();
        assertThat(requests)
                .startsWith("POST /v1/assets:discover", "GET /v1/jobs/j-discovery", "POST /v1/policies")
                .contains("GET /v1/jobs/j-backup", "GET /v1/assets/" + ASSET);
        assertThat(policyBody)
                .contains("\"expression\":\"rate(1 minute)\"")
                .contains("\"tags\":{\"Name\":\"cc-demo\"}")
                .contains("\"vaultId\":\"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4\"");
        @SuppressWarnings("unchecked")
        var policy = (Map<String, Object>) report.get("policy");
        assertThat(policy)
                .containsEntry("policyId", "pol-1")
                .containsEntry("runId", "run-1")
                .containsEntry("jobId", "j-backup")
                .containsEntry("recoveryPointId", "rp-1");
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("scheduled run run-1")
                .contains("scheduled backup j-backup   succeeded: recovery point rp-1")
                .contains("protection of vol-0123456789abcdef0: protected");
    }

    @Test
    void aRunThatNeverComesIsAFailureNotAHang() throws Exception {
        runPolls.set(Integer.MIN_VALUE);
        var printed = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();
        var demo = new PolicyDemo(
                service -> URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                failures,
                Duration.ofMillis(300),
                Duration.ofMillis(10));

        demo.run("token", "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4", "vol-0123456789abcdef0");

        assertThat(failures).singleElement().asString().contains("no scheduled run of policy pol-1");
    }

    @Test
    void nothingRunsAfterAFailedBackupDemo() throws Exception {
        List<String> failures = new ArrayList<>(List.of("the backup failed"));
        demo(new ByteArrayOutputStream(), failures).afterBackup("token", new LinkedHashMap<>());
        assertThat(requests).isEmpty();
    }
}
