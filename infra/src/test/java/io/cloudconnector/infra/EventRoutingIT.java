package io.cloudconnector.infra;

import static io.cloudconnector.common.testing.EmulatorClients.client;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventProducers;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An event put on a bus reaches exactly the inboxes whose rules match it, through the emulator's EventBridge: a
 * domain event only when its source may produce it (common's EventProducers).
 */
@WithAwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRoutingIT {

    private static final String CONNECTOR_ID = "cc-events";
    private static final Set<String> EVERYONE =
            Set.of("catalog", "provisioner", "jobstatus", "background-jobs", "integrity", "inventory");
    private static final Set<String> JOB_WATCHERS = Set.of("provisioner", "jobstatus");
    private static final Set<String> VAULT_WATCHERS = Set.of("provisioner", "background-jobs", "integrity");

    /** Who consumes which domain event: the contract the services' listeners are written against. */
    private static final Map<String, Set<String>> CONSUMERS = Map.ofEntries(
            entry("RecoveryPointCreated", Set.of("catalog", "integrity", "inventory")),
            entry("RecoveryPointDeleted", Set.of("catalog", "inventory", "background-jobs")),
            entry("RecoveryPointScanned", Set.of("catalog", "inventory")),
            entry("RecoveryPointRestoreTested", Set.of("catalog", "inventory")),
            entry("ScanReported", Set.of("integrity")),
            entry("RecoveryPointExpired", Set.of("background-jobs", "inventory")),
            entry("JobCreated", JOB_WATCHERS),
            entry("JobProvisioning", JOB_WATCHERS),
            entry("JobStarted", JOB_WATCHERS),
            entry("JobProgressed", Set.of("jobstatus")),
            entry("JobSucceeded", JOB_WATCHERS),
            entry("JobFailed", JOB_WATCHERS),
            entry("JobCancelled", JOB_WATCHERS),
            entry("JobCancelRequested", Set.of("background-jobs", "integrity")),
            entry("JobRequeueRequested", Set.of("background-jobs")),
            entry("VaultCreated", Set.of("provisioner", "background-jobs", "integrity", "jobstatus")),
            entry("VaultDeleted", VAULT_WATCHERS),
            entry("VaultPruned", Set.of("catalog")),
            entry("AssetChanged", Set.of("jobstatus", "background-jobs")),
            entry("VaultMaintenanceRequested", Set.of("background-jobs")),
            entry("PolicyChanged", Set.of("inventory", "catalog")),
            entry("PolicyDeleted", Set.of("inventory", "catalog")),
            entry("ConnectorPinged", EVERYONE),
            entry("NothingListensToThis", Set.of()));

    private EventBridgeClient events;
    private Inboxes inboxes;
    private Map<String, String> outputs;

    @BeforeAll
    void deployTheConnector(AwsEmulator emulator) {
        events = client(emulator, EventBridgeClient.builder());
        inboxes = new Inboxes(client(emulator, SqsClient.builder()));
        outputs = new StackDeployer(emulator)
                .createFromBody(CONNECTOR_ID, Template.CONNECTOR, Map.of("ConnectorId", CONNECTOR_ID));
    }

    @BeforeEach
    void emptyEveryInbox() {
        ConnectorService.ALL.forEach(service -> inboxes.drain(outputs.get(service.output("InboxQueueUrl"))));
    }

    @Test
    void eachDomainEventFromEachOfItsProducersReachesExactlyItsConsumers() {
        var expected = nobody();
        for (var event : CONSUMERS.entrySet()) {
            for (var source : EventProducers.sourcesOf(event.getKey())) {
                var id = put(outputs.get("EventBusName"), source, event.getKey());
                event.getValue().forEach(consumer -> expected.get(consumer).add(event.getKey() + "/" + id));
            }
        }

        assertDelivered(expected);
    }

    @Test
    void aDomainEventFromASourceThatMayNotProduceItReachesNobody() {
        var forged = 0;
        for (var type : CONSUMERS.keySet()) {
            for (var source : EVERYONE) {
                if (!EventProducers.mayProduce("cloudconnector." + source, type)) {
                    put(outputs.get("EventBusName"), "cloudconnector." + source, type);
                    forged++;
                }
            }
        }
        // PolicyTick travels straight from the scheduler to the background-jobs inbox, never on the bus.
        for (var source : EVERYONE) {
            put(outputs.get("EventBusName"), "cloudconnector." + source, "PolicyTick");
        }
        assertThat(forged).isGreaterThan(CONSUMERS.size() * 3);

        // The marker, sent last, shows that delivery has happened; nothing else may have arrived.
        var marker = put(outputs.get("EventBusName"), "cloudconnector.background-jobs", "JobProgressed");
        var expected = nobody();
        expected.get("jobstatus").add("JobProgressed/" + marker);
        assertDelivered(expected);
    }

    @Test
    void eventsFromOutsideTheConnectorReachNobody() {
        put(outputs.get("EventBusName"), "acme.billing", "ConnectorPinged");
        put(outputs.get("EventBusName"), "cloudconnector", "ConnectorPinged");

        var marker = put(outputs.get("EventBusName"), "cloudconnector.inventory", "JobProgressed");

        // The marker, sent last, shows that delivery has happened; nothing else may have arrived.
        var expected = nobody();
        expected.get("jobstatus").add("JobProgressed/" + marker);
        assertDelivered(expected);
    }

    @Test
    void awsStateChangesOnTheDefaultBusReachTheInventoryAndTheProvisioner() {
        // The emulator accepts aws.* sources on PutEvents, standing in for AWS publishing them.
        var instance = put("default", "aws.ec2", "EC2 Instance State-change Notification");
        var volume = put("default", "aws.ec2", "EBS Volume Notification");
        var vaultCluster =
                "arn:aws:ecs:us-east-1:" + AwsEmulator.ACCOUNT_ID + ":cluster/" + CONNECTOR_ID + "-vlt-01abc";
        var stopped = put(
                "default",
                "aws.ecs",
                "ECS Task State Change",
                Map.of("lastStatus", "STOPPED", "desiredStatus", "STOPPED", "clusterArn", vaultCluster));
        // A Fargate Spot reclaim: ECS wants the task stopped while it still runs.
        var reclaimed = put(
                "default",
                "aws.ecs",
                "ECS Task State Change",
                Map.of(
                        "lastStatus",
                        "RUNNING",
                        "desiredStatus",
                        "STOPPED",
                        "stopCode",
                        "SpotInterruption",
                        "clusterArn",
                        vaultCluster));
        put(
                "default",
                "aws.ecs",
                "ECS Task State Change",
                Map.of("lastStatus", "RUNNING", "desiredStatus", "RUNNING", "clusterArn", vaultCluster));
        put(
                "default",
                "aws.ecs",
                "ECS Task State Change",
                Map.of(
                        "lastStatus",
                        "STOPPED",
                        "desiredStatus",
                        "STOPPED",
                        "clusterArn",
                        "arn:aws:ecs:us-east-1:" + AwsEmulator.ACCOUNT_ID + ":cluster/someone-elses"));
        var spotWarning = put("default", "aws.ec2", "EC2 Spot Instance Interruption Warning");
        put("default", "aws.ec2", "EC2 Spot Instance Request Fulfillment");
        put("default", "aws.ec2", "EBS Snapshot Notification");

        var expected = nobody();
        expected.get("inventory")
                .addAll(Set.of(
                        "EC2 Instance State-change Notification/" + instance, "EBS Volume Notification/" + volume));
        expected.get("provisioner")
                .addAll(Set.of(
                        "ECS Task State Change/" + stopped,
                        "ECS Task State Change/" + reclaimed,
                        "EC2 Spot Instance Interruption Warning/" + spotWarning));

        assertDelivered(expected);
    }

    private String put(String bus, String source, String detailType) {
        return put(bus, source, detailType, Map.of());
    }

    /** Puts one event whose detail carries a fresh id, and returns that id. */
    private String put(String bus, String source, String detailType, Map<String, String> detail) {
        var id = UUID.randomUUID().toString();
        var json = new StringBuilder("{\"id\":\"").append(id).append('"');
        detail.forEach((key, value) ->
                json.append(",\"").append(key).append("\":\"").append(value).append('"'));
        json.append('}');
        var response = events.putEvents(request -> request.entries(entry ->
                entry.eventBusName(bus).source(source).detailType(detailType).detail(json.toString())));
        assertThat(response.failedEntryCount()).isZero();
        return id;
    }

    /** Per service, "detail-type/id" of every event its inbox received. */
    private Map<String, Set<String>> delivered() {
        var delivered = new TreeMap<String, Set<String>>();
        for (var service : EVERYONE) {
            delivered.put(
                    service,
                    new TreeSet<>(
                            inboxes
                                    .drain(outputs.get(
                                            ConnectorService.named(service).output("InboxQueueUrl")))
                                    .stream()
                                    .map(message -> Inboxes.event(message).get("detail-type") + "/"
                                            + Inboxes.detail(message).get("id"))
                                    .toList()));
        }
        return delivered;
    }

    /**
     * Waits (bounded) until the inboxes hold exactly what is expected. The emulator delivers during
     * PutEvents, so this normally passes on the first poll; a missing or extra delivery fails with the difference.
     */
    private void assertDelivered(Map<String, Set<String>> expected) {
        var received = new TreeMap<String, Set<String>>();
        EVERYONE.forEach(service -> received.put(service, new TreeSet<>()));
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    delivered()
                            .forEach(
                                    (service, messages) -> received.get(service).addAll(messages));
                    assertThat(received).isEqualTo(expected);
                });
    }

    private static Map<String, Set<String>> nobody() {
        var expected = new TreeMap<String, Set<String>>();
        EVERYONE.forEach(service -> expected.put(service, new TreeSet<>()));
        return expected;
    }
}
