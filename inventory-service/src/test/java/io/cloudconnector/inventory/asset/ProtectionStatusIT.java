package io.cloudconnector.inventory.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.event.ProtectionStatusChanged;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.inventory.InventoryIntegrationTests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * The protection status against the emulator, with a test clock: policies from background-jobs' events (any order,
 * tombstones), the status served and filtered on, and {@code ProtectionStatusChanged} published once per change,
 * from events (a recovery point, a scan, a policy change) and from the periodic pass (time alone).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"inventory.protection-check-interval=1h", "inventory.resync-initial-delay=1h"})
@DirtiesContext
class ProtectionStatusIT extends InventoryIntegrationTests {

    static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    @TestConfiguration
    static class TestClock {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @Autowired
    ServiceTable table;

    @Autowired
    ProtectionStatuses statuses;

    @Autowired
    DynamoDbClient dynamo;

    private final List<ProtectionStatusChanged> seen = new ArrayList<>();

    @Test
    void statusFollowsPoliciesRecoveryPointsScansAndTheClock() throws Exception {
        String statusChanges = captureStatusChanges();
        String daily = volumeAssetId(createVolume(8, Map.of("backup", "daily")));
        String other = volumeAssetId(createVolume(8, Map.of()));
        assertThat(post("/v1/assets:discover", null, null, Scopes.ASSETS_WRITE).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        getOk("/v1/assets", Scopes.ASSETS_READ).get("items").size() == 2);
        assertThat(protection(daily).get("status").asString()).isEqualTo("unprotected");
        assertThat(protection(daily).get("reasons").get(0).asString()).isEqualTo("no-policy");

        // Version 2 (running, hourly) arrives before version 1 (paused): version 2 stays.
        var backgroundJobs = publisher("background-jobs");
        awaitHandled(List.of(
                backgroundJobs.publish(policy(2, false, Map.of("backup", "daily")), null),
                backgroundJobs.publish(policy(1, true, Map.of("backup", "daily")), null)));
        JsonNode covered = protection(daily);
        assertThat(covered.get("status").asString()).isEqualTo("protected");
        assertThat(covered.get("policyIds").get(0).asString()).isEqualTo("pol-1");
        assertThat(covered.get("rpoMinutes").asLong()).isEqualTo(60);
        assertThat(covered.get("reasons").get(0).asString()).isEqualTo("awaiting-first-recovery-point");
        assertThat(covered.get("lastRecoveryPoint").isNull()).isTrue();
        assertThat(protection(other).get("status").asString()).isEqualTo("unprotected");
        awaitChanges(statusChanges, 1);
        assertThat(seen.getLast())
                .isEqualTo(new ProtectionStatusChanged(
                        daily, "unprotected", "protected", List.of("pol-1"), List.of("awaiting-first-recovery-point")));

        // Two intervals and a minute later, with no recovery point: at risk when read, and published by the pass.
        CLOCK.advance(Duration.ofMinutes(121));
        assertThat(protection(daily).get("status").asString()).isEqualTo("at-risk");
        assertThat(ids(getOk("/v1/assets?protection=at-risk", Scopes.ASSETS_READ)))
                .containsExactly(daily);
        assertThat(ids(getOk("/v1/assets?protection=unprotected", Scopes.ASSETS_READ)))
                .containsExactly(other);
        assertThat(ids(getOk("/v1/assets?protection=protected", Scopes.ASSETS_READ)))
                .isEmpty();
        assertThat(statuses.pass()).isEqualTo(1);
        assertThat(statuses.pass()).isZero();
        awaitChanges(statusChanges, 2);
        assertThat(seen.getLast())
                .isEqualTo(new ProtectionStatusChanged(
                        daily,
                        "protected",
                        "at-risk",
                        List.of("pol-1"),
                        List.of("no-recovery-point-within-twice-the-interval")));

        // A new recovery point makes it protected; a scan that is not clean makes it at risk again.
        awaitHandled(List.of(publisher("background-jobs").publish(created("rp-1", daily, CLOCK.instant()), null)));
        assertThat(protection(daily).get("status").asString()).isEqualTo("protected");
        assertThat(protection(daily).get("lastRecoveryPoint").get("id").asString())
                .isEqualTo("rp-1");
        awaitHandled(List.of(publisher("integrity")
                .publish(new RecoveryPointScanned("rp-1", "vlt-1", daily, ScanVerdict.INFECTED, "rep-1"), null)));
        assertThat(protection(daily).get("reasons").get(0).asString()).isEqualTo("newest-scan-not-clean");
        awaitChanges(statusChanges, 4);
        assertThat(seen.subList(2, 4))
                .extracting(ProtectionStatusChanged::after)
                .containsExactly("protected", "at-risk");

        // Deleted (version 3): unprotected; a late version 2 delivered again cannot bring it back.
        awaitHandled(List.of(backgroundJobs.publish(new PolicyDeleted("pol-1", 3), null)));
        awaitHandled(List.of(backgroundJobs.publish(policy(2, false, Map.of("backup", "daily")), null)));
        assertThat(protection(daily).get("status").asString()).isEqualTo("unprotected");
        awaitChanges(statusChanges, 5);
        assertThat(seen.getLast().before()).isEqualTo("at-risk");
        assertThat(seen.getLast().after()).isEqualTo("unprotected");
        assertThat(statuses.pass()).isZero();
        // Nothing more is published: the queue stays empty for two seconds (a late duplicate would arrive by then).
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> drainChanges(statusChanges).isEmpty());

        var bad = get("/v1/assets?protection=fine", Scopes.ASSETS_READ);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).get("field").asString()).isEqualTo("protection");

        // A change its writer wrote but could not publish (it crashed) is relayed by a pass a minute later, once.
        var leftBehind =
                new ProtectionStatusChanged(other, "protected", "unprotected", List.of(), List.of("no-policy"));
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(AssetItems.key(other))
                .updateExpression("SET #p = :p")
                .expressionAttributeNames(Map.of("#p", ProtectionStatuses.PENDING))
                .expressionAttributeValues(Map.of(
                        ":p",
                        AttributeValue.fromM(Map.of(
                                "id", AttributeValue.fromS("left-behind"),
                                "at", AttributeValue.fromN(Long.toString(CLOCK.millis() - 30_000)),
                                "before", AttributeValue.fromS("protected"),
                                "after", AttributeValue.fromS("unprotected"),
                                "policyIds", AttributeValue.fromL(List.of()),
                                "reasons", AttributeValue.fromL(List.of(AttributeValue.fromS("no-policy"))))))));
        assertThat(statuses.pass())
                .as("younger than a minute: its writer may still publish it")
                .isZero();
        assertThat(dynamo.getItem(b -> b.tableName(table.name())
                                .key(AssetItems.key(other))
                                .consistentRead(true))
                        .item())
                .as("the change is still waiting on its item")
                .containsKey(ProtectionStatuses.PENDING);
        CLOCK.advance(Duration.ofMinutes(1));
        statuses.pass();
        statuses.pass();
        awaitChanges(statusChanges, 6);
        assertThat(seen.getLast()).isEqualTo(leftBehind);
        assertThat(table.get(AssetItems.pk(other), AssetItems.SK).orElseThrow())
                .doesNotContainKey(ProtectionStatuses.PENDING);
    }

    private JsonNode protection(String assetId) throws Exception {
        return getOk("/v1/assets/" + assetId, Scopes.ASSETS_READ).get("protection");
    }

    private void awaitChanges(String queueUrl, int count) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    seen.addAll(drainChanges(queueUrl));
                    return seen.size() >= count;
                });
        assertThat(seen).hasSize(count);
    }

    private static List<ProtectionStatusChanged> drainChanges(String queueUrl) {
        return drain(queueUrl).stream()
                .map(EventEnvelope::payload)
                .map(ProtectionStatusChanged.class::cast)
                .toList();
    }

    private static String captureStatusChanges() {
        String queue =
                sqs.createQueue(b -> b.queueName("protection-status-probe")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String bus = outputs.get("EventBusName");
        events.putRule(b -> b.name("protection-status-probe")
                .eventBusName(bus)
                .eventPattern("{\"detail-type\":[\"ProtectionStatusChanged\"]}"));
        events.putTargets(b -> b.rule("protection-status-probe")
                .eventBusName(bus)
                .targets(t -> t.id("probe").arn(queueArn)));
        return queue;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private void awaitHandled(List<EventEnvelope> published) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(published)
                        .allSatisfy(e -> assertThat(table.get("EVENT#" + e.id(), "PROCESSED"))
                                .hasValueSatisfying(item ->
                                        assertThat(Items.string(item, "status")).isEqualTo("DONE"))));
    }

    private static PolicyChanged policy(long version, boolean paused, Map<String, String> tags) {
        return new PolicyChanged(
                "pol-1",
                version,
                "daily",
                "vlt-1",
                60,
                paused,
                paused ? "user" : null,
                false,
                List.of(),
                tags,
                List.of());
    }

    private static EventPublisher publisher(String service) {
        return new EventPublisher(
                events,
                EventCodec.standard(),
                outputs.get("EventBusName"),
                service,
                TestTokens.CONNECTOR_ID,
                Clock.systemUTC());
    }

    private static RecoveryPointCreated created(String recoveryPointId, String assetId, Instant at) {
        return new RecoveryPointCreated(
                recoveryPointId, "vlt-1", assetId, RecoveryPointKind.EBS, at, null, 100, 10, null, Map.of());
    }
}
