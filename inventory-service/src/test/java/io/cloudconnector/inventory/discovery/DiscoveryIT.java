package io.cloudconnector.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.IdempotencyContractTests;
import io.cloudconnector.inventory.InventoryIntegrationTests;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Discovery against EC2 in the emulator: the job and its events, describe pagination, EC2 events through
 * the default bus's rule and the inventory inbox, and the resync that marks vanished assets deleted.
 */
class DiscoveryIT extends InventoryIntegrationTests implements IdempotencyContractTests {

    @Autowired
    Resync resync;

    @BeforeAll
    static void listenToAssetChanges() {
        captureAssetChanges();
    }

    @Autowired
    ServiceTable table;

    @Test
    void aDiscoveryJobFindsEveryInstanceAndVolumeAcrossDescribePagesAndReportsItsProgress() throws Exception {
        // Seven reservations: with a page size of 5 DescribeInstances needs two pages.
        List<String> instances = new ArrayList<>();
        IntStream.range(0, 7).forEach(i -> instances.addAll(runInstances(1, Map.of("team", "t" + i))));
        String data = createVolume(100, Map.of("purpose", "data"));
        var rootVolumes = ec2.describeInstances(b -> b.instanceIds(instances)).reservations().stream()
                .flatMap(r -> r.instances().stream())
                .map(i -> i.blockDeviceMappings().getFirst().ebs().volumeId())
                .toList();
        Set<String> expected = new HashSet<>();
        instances.forEach(i -> expected.add(instanceAssetId(i)));
        rootVolumes.forEach(v -> expected.add(volumeAssetId(v)));
        expected.add(volumeAssetId(data));
        drain(assetChanges);

        var accepted = post("/v1/assets:discover", "discover-1", null, Scopes.ASSETS_WRITE);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/jobs/" + jobId);

        var jobEvents = awaitJobEvents(jobId);
        assertThat(jobEvents)
                .contains(
                        new JobCreated(jobId, JobKind.DISCOVERY, null, null, null),
                        new JobStarted(jobId, null, "assets"));
        var progress = jobEvents.stream()
                .filter(JobProgressed.class::isInstance)
                .map(JobProgressed.class::cast)
                .toList();
        assertThat(progress).isNotEmpty().extracting(JobProgressed::sequence).doesNotHaveDuplicates();
        assertThat(progress).extracting(JobProgressed::unit).containsOnly("assets");
        var last = progress.stream()
                .max(java.util.Comparator.comparingLong(JobProgressed::sequence))
                .orElseThrow();
        assertThat(last.bytesDone()).isEqualTo(last.bytesTotal()).isGreaterThanOrEqualTo(expected.size());

        Map<String, JsonNode> listed = new java.util.HashMap<>();
        getOk("/v1/assets?limit=500", Scopes.ASSETS_READ)
                .get("items")
                .forEach(a -> listed.put(a.get("id").asString(), a));
        assertThat(listed.keySet()).containsAll(expected);
        JsonNode instance = listed.get(instanceAssetId(instances.getFirst()));
        assertThat(instance.get("type").asString()).isEqualTo("ec2");
        assertThat(instance.get("instanceType").asString()).isEqualTo("t3.micro");
        assertThat(instance.get("availabilityZone").asString()).startsWith(REGION);
        assertThat(instance.get("tags").get("team").asString()).isEqualTo("t0");
        assertThat(instance.get("attachments").get(0).get("assetId").asString())
                .isEqualTo(volumeAssetId(rootVolumes.getFirst()));
        assertThat(instance.get("protected").asBoolean()).isFalse();
        assertThat(instance.get("firstSeen").asString()).isNotEmpty();
        JsonNode volume = listed.get(volumeAssetId(data));
        assertThat(volume.get("sizeGiB").asLong()).isEqualTo(100);
        assertThat(volume.get("state").asString()).isEqualTo("available");
        assertThat(volume.get("tags").get("purpose").asString()).isEqualTo("data");

        var created = changesOf(drain(assetChanges), expected);
        assertThat(created)
                .hasSize(expected.size())
                .allSatisfy(c -> assertThat(c.change()).isEqualTo(AssetChange.CREATED));
        assertThat(created).extracting(AssetChanged::assetId).doesNotHaveDuplicates();

        // Nothing changed since: a resync announces nothing and keeps the assets.
        resync.runNow();
        assertThat(changesOf(drain(assetChanges), expected)).isEmpty();
    }

    @Test
    void theSameTypesInAnyOrderOrAllOfThemLeftOutAreTheSameRequest() throws Exception {
        var first = post("/v1/assets:discover", "discover-twice", "{\"types\":[\"ec2\",\"ebs\"]}", Scopes.ASSETS_WRITE);
        var reordered =
                post("/v1/assets:discover", "discover-twice", "{\"types\":[\"ebs\",\"ec2\"]}", Scopes.ASSETS_WRITE);
        var allLeftOut = post("/v1/assets:discover", "discover-twice", null, Scopes.ASSETS_WRITE);

        assertThat(first.statusCode()).isEqualTo(202);
        for (var again : List.of(reordered, allLeftOut)) {
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        String jobId = json(first).get("jobId").asString();
        assertThat(awaitJobEvents(jobId))
                .filteredOn(JobCreated.class::isInstance)
                .hasSize(1);
    }

    @Override
    public List<IdempotentEndpoint> idempotentEndpoints() {
        return List.of(new IdempotentEndpoint(
                "/v1/assets:discover",
                Scopes.ASSETS_WRITE,
                () -> "{\"types\":[\"ebs\"]}",
                () -> "{\"types\":[\"ec2\"]}"));
    }

    @Override
    public HttpResponse<String> contractPost(String path, @Nullable String json, String scope, String... headers)
            throws IOException, InterruptedException {
        if (headers.length == 0) {
            return post(path, null, json, scope);
        }
        assertThat(headers).hasSize(2).startsWith("Idempotency-Key");
        return post(path, headers[1], json, scope);
    }

    @Test
    void aStateChangeDeliveredThroughEventBridgeUpdatesOneAssetOnceDespiteDuplicatesAndLateEvents() throws Exception {
        String instanceId = runInstances(1, Map.of()).getFirst();
        String assetId = instanceAssetId(instanceId);
        Instant beforeDiscovery = Instant.now();
        resync.runNow();
        assertThat(getOk("/v1/assets/" + assetId, Scopes.ASSETS_READ)
                        .get("state")
                        .asString())
                .isEqualTo("running");
        drain(assetChanges);

        ec2.stopInstances(b -> b.instanceIds(instanceId));
        Instant now = Instant.now();
        // The real event, delivered twice (two EventBridge ids), and two that arrive after it but happened earlier.
        List<String> eventIds = List.of(
                putInstanceEvent(instanceId, "stopped", now),
                putInstanceEvent(instanceId, "stopped", now),
                putInstanceEvent(instanceId, "stopping", beforeDiscovery.minusSeconds(30)),
                putInstanceEvent(instanceId, "pending", beforeDiscovery.minusSeconds(60)));
        awaitHandled(eventIds);

        assertThat(getOk("/v1/assets/" + assetId, Scopes.ASSETS_READ)
                        .get("state")
                        .asString())
                .isEqualTo("stopped");
        var changes = changesOf(drain(assetChanges), Set.of(assetId));
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.change()).isEqualTo(AssetChange.UPDATED);
            assertThat(change.before()).containsEntry("state", "running");
            assertThat(change.after()).containsEntry("state", "stopped");
        });
    }

    @Test
    void anEventAboutAnInstanceTheInventoryHasNotSeenAddsItAtOnce() throws Exception {
        String instanceId = runInstances(1, Map.of("origin", "event")).getFirst();
        String assetId = instanceAssetId(instanceId);
        drain(assetChanges);

        awaitHandled(List.of(putInstanceEvent(instanceId, "running", Instant.now())));

        var asset = getOk("/v1/assets/" + assetId, Scopes.ASSETS_READ);
        assertThat(asset.get("state").asString()).isEqualTo("running");
        assertThat(asset.get("tags").get("origin").asString()).isEqualTo("event");
        assertThat(changesOf(drain(assetChanges), Set.of(assetId)))
                .singleElement()
                .extracting(AssetChanged::change)
                .isEqualTo(AssetChange.CREATED);
    }

    @Test
    void aTerminatedInstanceAndADeletedVolumeBecomeDeletedAfterTheResync() throws Exception {
        String instanceId = runInstances(1, Map.of()).getFirst();
        String volumeId = createVolume(10, Map.of());
        Set<String> assets = Set.of(instanceAssetId(instanceId), volumeAssetId(volumeId));
        resync.runNow();
        drain(assetChanges);

        // No events: only the resync can notice.
        ec2.terminateInstances(b -> b.instanceIds(instanceId));
        ec2.deleteVolume(b -> b.volumeId(volumeId));
        resync.runNow();

        for (String assetId : assets) {
            assertThat(getOk("/v1/assets/" + assetId, Scopes.ASSETS_READ)
                            .get("state")
                            .asString())
                    .as(assetId)
                    .isEqualTo("deleted");
        }
        assertThat(getOk("/v1/assets?state=deleted&limit=500", Scopes.ASSETS_READ)
                        .get("items")
                        .findValuesAsString("id"))
                .containsAll(assets);
        var changes = changesOf(drain(assetChanges), assets);
        assertThat(changes).hasSize(2).allSatisfy(change -> {
            assertThat(change.change()).isEqualTo(AssetChange.DELETED);
            assertThat(change.after()).isNull();
        });

        resync.runNow();
        assertThat(changesOf(drain(assetChanges), assets)).isEmpty();
    }

    @Test
    void aVolumeDeletionEventDeletesTheVolumeAtOnce() throws Exception {
        String volumeId = createVolume(20, Map.of());
        var asset = Set.of(volumeAssetId(volumeId));
        resync.runNow();
        // A scheduled discovery still running may be the one that found the volume and publishes its creation
        // after this resync returned: wait for that event, whoever sends it, before the deletion.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> changesOf(drain(assetChanges), asset).stream()
                        .anyMatch(change -> change.change() == AssetChange.CREATED));

        ec2.deleteVolume(b -> b.volumeId(volumeId));
        String detail = "{\"result\":\"deleted\",\"cause\":\"\",\"event\":\"deleteVolume\",\"request-id\":\"r-1\"}";
        awaitHandled(List.of(putAwsEvent("EBS Volume Notification", "volume/" + volumeId, detail, Instant.now())));

        assertThat(getOk("/v1/assets/" + volumeAssetId(volumeId), Scopes.ASSETS_READ)
                        .get("state")
                        .asString())
                .isEqualTo("deleted");
        assertThat(changesOf(drain(assetChanges), asset))
                .singleElement()
                .extracting(AssetChanged::change)
                .isEqualTo(AssetChange.DELETED);
    }

    private String putInstanceEvent(String instanceId, String state, Instant time) {
        return putAwsEvent(
                "EC2 Instance State-change Notification",
                "instance/" + instanceId,
                "{\"instance-id\":\"" + instanceId + "\",\"state\":\"" + state + "\"}",
                time);
    }

    /** Puts an event on the default bus as AWS would (the emulator accepts the aws.ec2 source); returns its id. */
    private String putAwsEvent(String detailType, String resource, String detail, Instant time) {
        var response = events.putEvents(b -> b.entries(e -> e.source("aws.ec2")
                .detailType(detailType)
                .detail(detail)
                .time(time)
                .resources("arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":" + resource)));
        assertThat(response.failedEntryCount()).isZero();
        return response.entries().getFirst().eventId();
    }

    /** Waits until the inbox has handled each event (its id recorded as done by the dispatcher). */
    private void awaitHandled(List<String> eventIds) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(eventIds)
                        .allSatisfy(id -> assertThat(table.get("EVENT#aws:" + id, "PROCESSED"))
                                .hasValueSatisfying(item ->
                                        assertThat(Items.string(item, "status")).isEqualTo("DONE"))));
    }

    /** The job's events from the job-status service's inbox, once its terminal one has arrived. */
    private List<Object> awaitJobEvents(String jobId) {
        List<Object> received = new ArrayList<>();
        String inbox = outputs.get("JobstatusInboxQueueUrl");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    drain(inbox).stream()
                            .filter(e -> jobId.equals(e.correlationId()))
                            .map(EventEnvelope::payload)
                            .forEach(received::add);
                    assertThat(received).anySatisfy(e -> assertThat(e).isInstanceOf(JobSucceeded.class));
                });
        return received;
    }

    private static List<AssetChanged> changesOf(List<EventEnvelope> envelopes, Set<String> assetIds) {
        return envelopes.stream()
                .map(EventEnvelope::payload)
                .filter(AssetChanged.class::isInstance)
                .map(AssetChanged.class::cast)
                .filter(c -> assetIds.contains(c.assetId()))
                .toList();
    }
}
