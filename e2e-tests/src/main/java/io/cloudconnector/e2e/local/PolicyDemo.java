package io.cloudconnector.e2e.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
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
 * The protection policy step of {@code ./connector demo}, after the backup demo: the inventory discovers the demo
 * volume (so background-jobs' projection of the inventory knows its tags), a policy with a one-minute schedule
 * selects it by its tag {@code Name=cc-demo}, the first scheduled run starts its backup (followed to its end in
 * jobstatus), and the inventory shows the volume's protection. Locally the schedule is fired by background-jobs' own
 * scheduler ({@code connector.policies.scheduler=local}, one-minute schedules allowed).
 */
final class PolicyDemo {

    static final String TAG_KEY = "Name";
    static final String TAG_VALUE = "cc-demo";
    private final PrintStream out;
    private final List<String> failures;
    private final Duration patience;
    private final Duration poll;
    private final DemoClient client;
    private final JsonMapper json;
    private final Map<String, Object> report = new LinkedHashMap<>();

    /**
     * @param services where each service answers ({@code http://127.0.0.1:<port>} on the local stack)
     * @param patience how long to wait for each step (the first tick comes a minute after the policy)
     */
    PolicyDemo(
            Function<LocalService, URI> services,
            PrintStream out,
            List<String> failures,
            Duration patience,
            Duration poll) {
        this.out = out;
        this.failures = failures;
        this.patience = patience;
        this.poll = poll;
        this.client = new DemoClient(services, out, failures, patience, poll);
        this.json = client.json();
    }

    /** The demo against the local stack's ports. */
    static PolicyDemo local(PrintStream out, List<String> failures) {
        return new PolicyDemo(DemoClient.local(), out, failures, Duration.ofMinutes(3), Duration.ofSeconds(1));
    }

    /**
     * After the backup demo succeeded, runs the step on its volume and vault, putting what it saw under
     * {@code policy} in the demo's report.
     */
    void afterBackup(String token, Map<String, Object> demo) throws Exception {
        if (!failures.isEmpty()
                || !(demo.get("vault") instanceof Map<?, ?> vault)
                || !(vault.get("vaultId") instanceof String vaultId)
                || !(demo.get("backup") instanceof Map<?, ?> backup)
                || !(backup.get("volumeId") instanceof String volumeId)) {
            return;
        }
        demo.put("policy", run(token, vaultId, volumeId));
    }

    /** Runs the step for the demo volume into {@code vaultId}; returns what it saw (for {@code --json}). */
    Map<String, Object> run(String token, String vaultId, String volumeId) throws Exception {
        out.printf("%n9. A protection policy: every minute, every volume tagged %s=%s:%n", TAG_KEY, TAG_VALUE);
        var discovery = send(LocalService.INVENTORY, "POST", "/v1/assets:discover", token, "{\"types\":[\"ebs\"]}");
        if (discovery.statusCode() != 202) {
            return fail("discovery was refused: " + discovery.statusCode() + " " + discovery.body());
        }
        var discovered = follow(token, tree(discovery).path("jobId").asString());
        if (discovered == null || !"succeeded".equals(discovered.path("state").asString())) {
            return fail("discovery did not succeed: " + discovered);
        }
        String body = "{\"name\":\"demo-every-minute-" + Instant.now().getEpochSecond() + "\",\"vaultId\":\""
                + vaultId + "\",\"schedule\":{\"expression\":\"rate(1 minute)\",\"startWindowMinutes\":5},"
                + "\"selection\":{\"tags\":{\"" + TAG_KEY + "\":\"" + TAG_VALUE + "\"},\"types\":[\"ebs\"]},"
                + "\"retention\":{\"keepLast\":3}}";
        var created = send(LocalService.BACKGROUND_JOBS, "POST", "/v1/policies", token, body);
        if (created.statusCode() != 201) {
            return fail("the policy was refused: " + created.statusCode() + " " + created.body());
        }
        String policyId = tree(created).path("id").asString();
        report.put("policyId", policyId);
        out.printf("   policy %s created, first run in about a minute%n", policyId);

        JsonNode run = null;
        var deadline = Instant.now().plus(patience);
        while (run == null && Instant.now().isBefore(deadline)) {
            var runs = send(LocalService.BACKGROUND_JOBS, "GET", "/v1/policies/" + policyId + "/runs", token, null);
            for (var candidate : tree(runs).path("items")) {
                if ("schedule".equals(candidate.path("trigger").asString())
                        && !"running".equals(candidate.path("state").asString())) {
                    run = candidate;
                }
            }
            if (run == null) {
                Thread.sleep(poll.toMillis());
            }
        }
        if (run == null) {
            return fail("no scheduled run of policy " + policyId + " within " + patience.toSeconds() + " s");
        }
        report.put("runId", run.path("id").asString());
        String jobId = null;
        for (var job : run.path("jobs")) {
            if (job.path("assetId").asString().endsWith(":" + volumeId)) {
                jobId = job.path("jobId").asString();
            }
        }
        out.printf(
                "   scheduled run %s at %s: %d selected, %d backups started, %d skipped%n",
                run.path("id").asString(),
                run.path("scheduledAt").asString(),
                run.path("assetsSelected").asInt(),
                run.path("jobs").size(),
                run.path("skipped").size());
        if (jobId == null) {
            return fail("the scheduled run started no backup of " + volumeId + ": " + run);
        }
        var job = follow(token, jobId);
        if (job == null || !"succeeded".equals(job.path("state").asString())) {
            return fail("the scheduled backup " + jobId + " did not succeed: " + job);
        }
        String pointId = job.path("result").path("recoveryPointId").asString();
        report.put("jobId", jobId);
        report.put("recoveryPointId", pointId);
        out.printf("   scheduled backup %s   succeeded: recovery point %s%n", jobId, pointId);

        String assetId = tree(created).path("selection").path("assetIds").isEmpty()
                ? assetId(discovered, volumeId, token)
                : volumeId;
        var asset = send(LocalService.INVENTORY, "GET", "/v1/assets/" + assetId, token, null);
        if (asset.statusCode() != 200) {
            return fail("the inventory does not show " + assetId + ": " + asset.statusCode());
        }
        var seen = tree(asset);
        var protection = seen.path("protection");
        report.put("protection", json.convertValue(protection, Map.class));
        out.printf(
                "   protection of %s: %s (policies %s, newest recovery point %s)%n",
                volumeId,
                protection.path("status").asString(seen.path("protected").asBoolean() ? "protected" : "unprotected"),
                protection.path("policyIds"),
                seen.path("lastRecoveryPointId").asString(""));
        return report;
    }

    /** The inventory's id of the demo volume: {@code aws:ebs:<account>:<region>:<volumeId>}. */
    private String assetId(JsonNode discovered, String volumeId, String token)
            throws IOException, InterruptedException {
        var page = send(
                LocalService.INVENTORY,
                "GET",
                "/v1/assets?type=ebs&tag=" + TAG_KEY + ":" + TAG_VALUE + "&limit=500",
                token,
                null);
        for (var asset : tree(page).path("items")) {
            if (asset.path("id").asString().endsWith(":" + volumeId)) {
                return asset.path("id").asString();
            }
        }
        return volumeId;
    }

    private @Nullable JsonNode follow(String token, String jobId) throws IOException, InterruptedException {
        return client.awaitEnd(token, jobId);
    }

    private Map<String, Object> fail(String failure) {
        out.printf("   FAILED: %s%n", failure);
        failures.add("policy demo: " + failure);
        return report;
    }

    private JsonNode tree(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(
            LocalService service, String method, String path, String token, @Nullable String body)
            throws IOException, InterruptedException {
        return client.send(service, method, path, token, body);
    }
}
