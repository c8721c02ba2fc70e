package io.cloudconnector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The newcomer's path, for real: {@code ./connector up} brings six healthy services on an emulator it
 * starts, a call without a token gets 401 problem JSON and one with {@code ./connector token} gets 200,
 * {@code ./connector demo} shows an event crossing services and backs up, incrementally, restores and compares a
 * volume, and {@code ./connector down} leaves no process behind. Runs on free ports and its own state directory,
 * so a developer's stack is untouched.
 *
 * <p>Between demo and down, the backup and restore flows of the running stack (see {@link BackupFlows}): refused
 * requests, idempotent submission, cancellation, a two-volume EC2 instance backed up and restored as a new instance,
 * and a background-jobs service killed in the middle of a backup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final JsonMapper JSON = EventCodec.standardMapper();

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String[] SERVICES = {
        "catalog", "provisioner", "jobstatus", "background-jobs", "integrity", "inventory"
    };

    @TempDir
    static Path state;

    private static final Map<String, String> env = new HashMap<>();
    private static final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void freePorts() throws IOException {
        env.put("CONNECTOR_STATE_DIR", state.toString());
        env.put("CONNECTOR_ID", "cc-e2e");
        env.put("CONNECTOR_EMULATOR_PORT", Integer.toString(freePort()));
        env.put("CONNECTOR_UP_TIMEOUT", "300");
        for (String service : SERVICES) {
            int port = freePort();
            ports.put(service, port);
            env.put("CONNECTOR_PORT_" + service.toUpperCase().replace('-', '_'), Integer.toString(port));
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        connector("down");
    }

    @Test
    @Order(1)
    void upBringsSixHealthyServices() throws Exception {
        var up = connector("up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("Connector cc-e2e is up", "6/6 services healthy");
        var status = connector("status");
        assertThat(status.output().lines().filter(l -> l.contains("healthy")).count())
                .as(status.output())
                .isEqualTo(6);
    }

    @Test
    @Order(2)
    void aCallNeedsATokenFromConnectorToken() throws Exception {
        var vaults = URI.create("http://127.0.0.1:" + ports.get("catalog") + "/v1/vaults");

        var anonymous = http.send(HttpRequest.newBuilder(vaults).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(anonymous.body()).contains("\"status\":401");

        var token = connector("token", "--scopes", "vaults:read");
        assertThat(token.exitCode()).as(token.output()).isZero();
        var authorized = http.send(
                HttpRequest.newBuilder(vaults)
                        .header("Authorization", "Bearer " + token.output().strip())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorized.statusCode()).isEqualTo(200);
        assertThat(authorized.body()).startsWith("{\"items\":[");
    }

    @Test
    @Order(3)
    void demoShowsAnEventCrossingServices() throws Exception {
        var demo = connector("demo");

        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("Smoke flow passed");
        for (String service : SERVICES) {
            assertThat(demo.output()).containsPattern(service + "\\s+received from catalog");
        }
        assertThat(demo.output())
                .containsPattern("Backup \\(full\\):[\\s\\S]*rp-\\w+ in the catalog")
                .containsPattern("changed: read [\\d.]+ (KiB|MiB)")
                .contains("MATCH", "byte for byte     identical (SHA-256)");
    }

    @Test
    @Order(4)
    void refusedRequestsNameTheFieldAndCreateNoJob() throws Exception {
        flows().refusedRequestsNameTheFieldAndCreateNoJob();
    }

    @Test
    @Order(5)
    void theSameIdempotencyKeyGivesTheSameJobAndAnotherBodyIsAConflict() throws Exception {
        flows().theSameIdempotencyKeyGivesTheSameJobAndAnotherBodyIsAConflict();
    }

    @Test
    @Order(6)
    void aCancelledBackupEndsCancelledAndLeavesNoRecoveryPoint() throws Exception {
        flows().aCancelledBackupEndsCancelledAndLeavesNoRecoveryPoint();
    }

    @Test
    @Order(7)
    void anInstanceWithTwoVolumesIsBackedUpAsOnePointAndRestoredAsANewInstance() throws Exception {
        flows().anInstanceWithTwoVolumesIsBackedUpAsOnePointAndRestoredAsANewInstance();
    }

    @Test
    @Order(8)
    void jobsListShowsTheJobsAndJobsWatchExitsZeroOnlyForASuccess() throws Exception {
        var list = connector("jobs", "list", "--limit", "100", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        var items = JSON.readTree(list.output().substring(list.output().indexOf('{')))
                .path("items");
        String succeeded = null;
        String cancelled = null;
        for (var job : items) {
            switch (job.path("state").asString()) {
                case "succeeded" ->
                    succeeded = succeeded == null ? job.path("id").asString() : succeeded;
                case "cancelled" ->
                    cancelled = cancelled == null ? job.path("id").asString() : cancelled;
                default -> {}
            }
        }
        // The demo's backups and restore succeeded; the cancel flow left a cancelled backup.
        assertThat(succeeded).as(list.output()).isNotNull();
        assertThat(cancelled).as(list.output()).isNotNull();

        var table = connector("jobs", "list", "--state", "succeeded");
        assertThat(table.exitCode()).as(table.output()).isZero();
        assertThat(table.output()).contains(succeeded).doesNotContain(cancelled);

        var watchSucceeded = connector("jobs", "watch", succeeded, "--plain");
        assertThat(watchSucceeded.exitCode()).as(watchSucceeded.output()).isZero();
        assertThat(watchSucceeded.output()).contains(succeeded + " succeeded");

        var watchCancelled = connector("jobs", "watch", cancelled, "--plain");
        assertThat(watchCancelled.exitCode()).as(watchCancelled.output()).isNotZero();
        assertThat(watchCancelled.output()).contains(cancelled + " cancelled");

        var unknown = connector("jobs", "watch", "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", "--plain");
        assertThat(unknown.exitCode()).as(unknown.output()).isNotZero();
        assertThat(unknown.output())
                .contains("cannot watch j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4")
                .doesNotContain("Exception");
    }

    @Test
    @Order(8)
    void aSecondUpReusesWhatRuns() throws Exception {
        var pidsBefore = pids();

        var up = connector("up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("reusing it");
        assertThat(pids()).isEqualTo(pidsBefore);
    }

    @Test
    @Order(9)
    void aBackupWhoseServiceIsKilledLeavesNoRecoveryPointAndItsRetrySucceeds() throws Exception {
        flows().aBackupWhoseServiceIsKilledLeavesNoRecoveryPointAndItsRetrySucceeds(
                        () -> {
                            long pid = Long.parseLong(Files.readString(state.resolve("background-jobs.pid"))
                                    .strip());
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
                        },
                        () -> {
                            var up = connector("up");
                            assertThat(up.exitCode()).as(up.output()).isZero();
                        });
    }

    @Test
    @Order(10)
    void downLeavesNoProcessBehind() throws Exception {
        var pids = pids();

        var down = connector("down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d", pid)
                    .isFalse();
        }
        assertThat(connector("status").exitCode()).isEqualTo(3);
    }

    private static BackupFlows flows;

    private static BackupFlows flows() throws IOException, InterruptedException {
        if (flows == null) {
            var token = connector("token");
            assertThat(token.exitCode()).as(token.output()).isZero();
            flows = new BackupFlows(
                    URI.create("http://127.0.0.1:" + env.get("CONNECTOR_EMULATOR_PORT")),
                    ports,
                    token.output().strip());
        }
        return flows;
    }

    private static List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(state)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
                pids.add(Long.parseLong(Files.readString(file).strip()));
            }
        }
        return pids;
    }

    private record Result(int exitCode, String output) {}

    private static Result connector(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("connector").toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("./connector " + String.join(" ", args) + " hung:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
