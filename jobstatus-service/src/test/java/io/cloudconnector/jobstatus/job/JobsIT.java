package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCounter;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.jobstatus.JobstatusIntegrationTests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs as the tenant and operators see them, with events travelling the real way: published on the
 * connector's bus in the emulator, routed by the stack's rule to the jobstatus inbox, consumed by the
 * service, stored in its table and served over HTTP.
 */
class JobsIT extends JobstatusIntegrationTests {

    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    ServiceTable table;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aJobFollowsItsEventsThroughTheBusWhateverTheirOrderAndCopies() throws Exception {
        String id = Ids.job();
        publish(
                id,
                new JobCreated(id, JobKind.EBS_BACKUP, Ids.vault(), "aws:ebs:123456789012:us-east-1:vol-1", null),
                new JobProvisioning(id),
                new JobStarted(id, 4096L),
                new JobStarted(id, 4096L),
                new JobProgressed(id, 2, 3072, 4096),
                new JobProgressed(id, 1, 1024, 4096),
                new JobSucceeded(id, new JobResult("rp-1", "snap-1", null, null, null)),
                new JobProgressed(id, 1, 1024, 4096));

        var job = awaitJob(
                id,
                j -> j.path("state").asString().equals("succeeded")
                        && j.path("progress").has("reportedAt")
                        && j.path("eventLog").size() == 4);

        assertThat(job.path("kind").asString()).isEqualTo("ebs-backup");
        assertThat(job.path("result").path("snapshotId").asString()).isEqualTo("snap-1");
        assertThat(job.path("progress").path("percent").asDouble()).isEqualTo(100.0);
        // Five facts (created, provisioning, started, progress 2, succeeded) — or six if progress 1 came
        // before progress 2; the copies and the late report add nothing.
        assertThat(job.path("version").asLong()).isBetween(5L, 6L);
        assertThat(job.path("eventLog").findValuesAsString("type"))
                .containsExactly("created", "provisioning", "started", "succeeded");
        // The finished job leaves the table through DynamoDB TTL after the 30-day retention.
        var item = table.get("JOB#" + id, "JOB").orElseThrow();
        assertThat(Long.parseLong(item.get(ServiceTable.EXPIRES_AT).n()))
                .isEqualTo(Instant.parse(job.path("finishedAt").asString())
                        .plus(Duration.ofDays(30))
                        .getEpochSecond());
    }

    @Test
    void eventsThatOvertakeTheCreationAreKeptUntilItArrives() throws Exception {
        String id = Ids.job();
        var created = envelope(id, new JobCreated(id, JobKind.SCAN, null, null, "rp-9"));
        var started = envelope(id, new JobStarted(id, 100L));
        var progressed = envelope(id, new JobProgressed(id, 1, 40, 100));
        inbox.dispatch(started);
        inbox.dispatch(progressed);

        assertThat(get("/v1/jobs/" + id, bearerWith(Scopes.JOBS_READ)).statusCode())
                .isEqualTo(404);

        inbox.dispatch(created);

        var job = JSON.readTree(
                get("/v1/jobs/" + id, bearerWith(Scopes.JOBS_READ)).body());
        assertThat(job.path("state").asString()).isEqualTo("running");
        assertThat(job.path("progress").path("percent").asDouble()).isEqualTo(40.0);
        assertThat(job.path("eventLog").findValuesAsString("type")).containsExactly("created", "started");
    }

    @Test
    void aJobShowsItsUnitsAndTheNamesOfWhatItIsAboutInAnyOrder() throws Exception {
        String id = Ids.job();
        String vault = Ids.vault();
        String asset = "aws:ebs:123456789012:us-east-1:vol-named";
        // The names arrive after the job, and an older description of the asset after a newer one.
        dispatch(id, new JobCreated(id, JobKind.SCAN, vault, asset, "rp-1", "pol-a", "run-1"));
        dispatch(id, new JobStarted(id, null));
        dispatch(id, new JobProgressed(id, 5, 10, 20, null, new JobCounter("files", 1, 2)));
        var older = envelope(
                id, new AssetChanged(asset, AssetChange.CREATED, null, Map.of("tags", Map.of("Name", "old-name"))));
        var newer = EventEnvelope.wrap(
                new AssetChanged(asset, AssetChange.UPDATED, null, Map.of("tags", Map.of("Name", "web-1"))),
                TestTokens.CONNECTOR_ID,
                id,
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)));
        inbox.dispatch(newer);
        inbox.dispatch(older);
        inbox.dispatch(envelope(vault, new VaultCreated(vault, "prod-backups", "us-east-1", "b", "k")));
        inbox.dispatch(envelope(
                id, new AssetChanged(asset, AssetChange.DELETED, Map.of("tags", Map.of("Name", "web-1")), null)));

        var job = JSON.readTree(
                get("/v1/jobs/" + id, bearerWith(Scopes.JOBS_READ)).body());

        assertThat(job.path("assetName").asString()).isEqualTo("web-1");
        assertThat(job.path("vaultName").asString()).isEqualTo("prod-backups");
        assertThat(job.path("policyId").asString()).isEqualTo("pol-a");
        assertThat(job.path("runId").asString()).isEqualTo("run-1");
        assertThat(job.path("progress").path("unit").asString()).isEqualTo("bytes");
        assertThat(job.path("progress").path("secondary").path("unit").asString())
                .isEqualTo("files");
        assertThat(job.path("phases").findValuesAsString("phase")).containsExactly("queued", "running");

        // What the table holds reads back the same (a restarted task, or another one, reads it from there).
        var stored = JobRepository.fromItem(table.get("JOB#" + id, "JOB").orElseThrow());
        assertThat(stored.policyId()).isEqualTo("pol-a");
        assertThat(stored.progress().secondary()).isEqualTo(new JobCounter("files", 1, 2));

        String discovery = Ids.job();
        dispatch(discovery, new JobCreated(discovery, JobKind.DISCOVERY, null, null, null));
        dispatch(discovery, new JobStarted(discovery, null, "assets"));
        // A report without a unit keeps the one the start named.
        dispatch(discovery, new JobProgressed(discovery, 1, 3, 10));
        var listed = JSON.readTree(get("/v1/jobs?policyId=pol-a", bearerWith(Scopes.JOBS_READ))
                        .body())
                .path("items");
        assertThat(listed.findValuesAsString("id")).containsExactly(id);
        assertThat(JSON.readTree(get("/v1/jobs/" + discovery, bearerWith(Scopes.JOBS_READ))
                                .body())
                        .path("progress")
                        .path("unit")
                        .asString())
                .isEqualTo("assets");
        assertThat(get("/v1/jobs?policyId=no%20such", bearerWith(Scopes.JOBS_READ))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void listsNewestFirstWithFiltersAndPages() throws Exception {
        String vault = Ids.vault();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Ids.job());
        }
        Instant between = Instant.now();
        for (int i = 0; i < 5; i++) {
            dispatch(
                    ids.get(i),
                    new JobCreated(ids.get(i), i % 2 == 0 ? JobKind.EC2_RESTORE : JobKind.PRUNE, vault, null, null));
        }
        dispatch(ids.get(4), new JobStarted(ids.get(4), null));
        String base = "/v1/jobs?vaultId=" + vault;

        assertThat(idsOf(get(base + "&limit=500", bearerWith(Scopes.JOBS_READ)).body()))
                .isEqualTo(ids.reversed());
        assertThat(idsOf(get(base + "&kind=ec2-restore", bearerWith(Scopes.JOBS_READ))
                        .body()))
                .containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(idsOf(get(base + "&state=running", bearerWith(Scopes.JOBS_READ))
                        .body()))
                .containsExactly(ids.get(4));
        assertThat(idsOf(get(base + "&to=" + Instant.EPOCH.plusSeconds(1), bearerWith(Scopes.JOBS_READ))
                        .body()))
                .isEmpty();
        assertThat(idsOf(get(base + "&from=" + between.minusSeconds(60), bearerWith(Scopes.JOBS_READ))
                        .body()))
                .hasSize(5);

        var seen = new ArrayList<String>();
        String token = null;
        do {
            var page = JSON.readTree(
                    get(base + "&limit=2" + (token == null ? "" : "&pageToken=" + token), bearerWith(Scopes.JOBS_READ))
                            .body());
            seen.addAll(page.path("items").findValuesAsString("id"));
            token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asString() : null;
        } while (token != null);
        assertThat(seen).isEqualTo(ids.reversed());

        var bad = get("/v1/jobs?state=sleeping&vaultId=nope", bearerWith(Scopes.JOBS_READ));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(bad.body()).path("errors").findValuesAsString("field"))
                .containsExactly("state", "vaultId");
    }

    @Test
    void theEventStreamSendsTheJobThenEveryChangeAndEndsWithIt() throws Exception {
        String id = Ids.job();
        publish(id, new JobCreated(id, JobKind.EBS_RESTORE, null, null, "rp-1"));
        awaitJob(id, j -> true);

        List<Long> versions;
        try (var stream = SseClient.open(uri("/v1/jobs/" + id + "/events"), bearerWith(Scopes.JOBS_READ), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            await().atMost(DELIVERY).until(() -> !stream.events().isEmpty());
            assertThat(data(stream.events().getFirst()).path("state").asString())
                    .isEqualTo("queued");

            publish(id, new JobStarted(id, 1000L));
            await().atMost(DELIVERY).until(() -> lastState(stream).equals("running"));
            publish(id, new JobProgressed(id, 1, 500, 1000));
            await().atMost(DELIVERY)
                    .until(() -> data(stream.events().getLast())
                                    .path("progress")
                                    .path("bytesDone")
                                    .asLong()
                            == 500);
            publish(id, new JobSucceeded(id, JobResult.none()));

            await().atMost(DELIVERY).until(stream::ended);
            assertThat(lastState(stream)).isEqualTo("succeeded");
            versions = stream.events().stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(versions).isSorted().doesNotHaveDuplicates();
        }

        // A client that reconnects after missing the end gets the final job (event log included) at once.
        try (var again = SseClient.open(uri("/v1/jobs/" + id + "/events"), bearerWith(Scopes.JOBS_READ), "1")) {
            await().atMost(DELIVERY).until(again::ended);
            assertThat(again.events()).hasSize(1);
            assertThat(data(again.events().getFirst()).path("eventLog").findValuesAsString("type"))
                    .containsExactly("created", "started", "succeeded");
        }
        // One that has the final version already is told not to come back.
        try (var done = SseClient.open(
                uri("/v1/jobs/" + id + "/events"), bearerWith(Scopes.JOBS_READ), Long.toString(versions.getLast()))) {
            assertThat(done.status()).isEqualTo(204);
        }
        assertThat(get("/v1/jobs/" + Ids.job() + "/events", bearerWith(Scopes.JOBS_READ))
                        .statusCode())
                .isEqualTo(404);
        var badId = SseClient.open(uri("/v1/jobs/" + id + "/events"), bearerWith(Scopes.JOBS_READ), "latest");
        assertThat(badId.status()).isEqualTo(400);
        badId.close();
    }

    @Test
    void everyEventStreamEndsWhenItsTokenExpires() throws Exception {
        String id = Ids.job();
        publish(id, new JobCreated(id, JobKind.EBS_RESTORE, null, null, "rp-1"));
        awaitJob(id, j -> true);
        String shortLived = TestTokens.bearer(TOKENS.tokenValidFor(java.time.Duration.ofSeconds(3), Scopes.JOBS_READ));

        try (var job = SseClient.open(uri("/v1/jobs/" + id + "/events"), shortLived, null);
                var feed = SseClient.open(uri("/v1/jobs/events"), shortLived, null)) {
            assertThat(job.status()).isEqualTo(200);
            assertThat(feed.status()).isEqualTo(200);
            // The job never finishes, and the feed never ends on its own: only the token's expiry ends them.
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> job.ended() && feed.ended());
            assertThat(job.events().getFirst().type()).isEqualTo("job");
            assertThat(job.events().getLast().type()).isEqualTo("token-expired");
            assertThat(feed.events().getLast().type()).isEqualTo("token-expired");
            assertThat(feed.events().getLast().data()).contains("reconnect with a new one");
        }
        // Reconnecting with the expired token (still within the clock skew plain requests are allowed) gets no
        // more than the current state: the stream ends at once.
        try (var again = SseClient.open(uri("/v1/jobs/" + id + "/events"), shortLived, null)) {
            await().atMost(java.time.Duration.ofSeconds(5)).until(again::ended);
            assertThat(again.events()).extracting(SseClient.Event::type).containsExactly("job", "token-expired");
        }
    }

    @Test
    void theDashboardFeedCarriesEveryJobsChanges() throws Exception {
        try (var feed = SseClient.open(uri("/v1/jobs/events"), bearerWith(Scopes.JOBS_READ), null)) {
            assertThat(feed.status()).isEqualTo(200);
            String first = Ids.job();
            String second = Ids.job();
            publish(first, new JobCreated(first, JobKind.DISCOVERY, null, null, null));
            publish(second, new JobCreated(second, JobKind.INTEGRITY_CHECK, null, null, null));

            await().atMost(DELIVERY)
                    .until(() -> new HashSet<>(feed.events().stream()
                                    .map(e -> data(e).path("id").asString())
                                    .toList())
                            .containsAll(List.of(first, second)));
        }
    }

    @Test
    void cancellingAsksTheWorkersThroughTheBusAndOnlyForUnfinishedJobs(AwsEmulator emulator) throws Exception {
        String id = Ids.job();
        publish(
                id,
                new JobCreated(id, JobKind.EC2_BACKUP, null, "aws:ec2:123456789012:us-east-1:i-1", null),
                new JobStarted(id, null));
        awaitJob(id, j -> j.path("state").asString().equals("running"));

        assertThat(post("/v1/jobs/" + id + "/cancel", bearerWith(Scopes.JOBS_READ))
                        .statusCode())
                .isEqualTo(403);
        var accepted = post("/v1/jobs/" + id + "/cancel", bearerWith(Scopes.JOBS_WRITE));

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("cancelRequestedAt").isString())
                .isTrue();
        try (var sqs = ConnectorStack.clients(emulator).sync(SqsClient.builder())) {
            String queue = sqs.getQueueUrl(b -> b.queueName(TestTokens.CONNECTOR_ID + "-background-jobs-inbox"))
                    .queueUrl();
            // Visibility 0: looking at the messages leaves them for the next look.
            await().atMost(DELIVERY)
                    .until(() -> sqs
                            .receiveMessage(b -> b.queueUrl(queue)
                                    .maxNumberOfMessages(10)
                                    .waitTimeSeconds(1)
                                    .visibilityTimeout(0))
                            .messages()
                            .stream()
                            .map(m -> JSON.readTree(m.body()))
                            .anyMatch(m -> m.path("detail-type").asString().equals("JobCancelRequested")
                                    && m.path("detail")
                                            .path("payload")
                                            .path("jobId")
                                            .asString()
                                            .equals(id)));
        }

        publish(id, new JobCancelled(id));
        var cancelled = awaitJob(id, j -> j.path("state").asString().equals("cancelled"));
        assertThat(cancelled.path("eventLog").findValuesAsString("type"))
                .containsExactly("created", "started", "cancel-requested", "cancelled");

        var conflict = post("/v1/jobs/" + id + "/cancel", bearerWith(Scopes.JOBS_WRITE));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).path("detail").asString()).contains("already cancelled");
        assertThat(post("/v1/jobs/" + Ids.job() + "/cancel", bearerWith(Scopes.JOBS_WRITE))
                        .statusCode())
                .isEqualTo(404);
    }

    /** Hands an event straight to the inbox consumer, in exactly the order the test needs. */
    private void dispatch(String jobId, ConnectorEvent event) {
        inbox.dispatch(envelope(jobId, event));
    }

    private static EventEnvelope envelope(String jobId, ConnectorEvent event) {
        return EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, jobId, Clock.systemUTC());
    }

    private JsonNode awaitJob(String id, java.util.function.Predicate<JsonNode> condition) {
        var found = new JsonNode[1];
        await().atMost(DELIVERY).until(() -> {
            var response = get("/v1/jobs/" + id, bearerWith(Scopes.JOBS_READ));
            found[0] = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    private static JsonNode data(SseClient.Event event) {
        return JSON.readTree(event.data());
    }

    private static String lastState(SseClient stream) {
        var events = stream.events();
        return events.isEmpty() ? "" : data(events.getLast()).path("state").asString();
    }

    private static List<String> idsOf(String page) {
        return JSON.readTree(page).path("items").findValuesAsString("id");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> post(String path, String authorization) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
