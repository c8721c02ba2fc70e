package io.cloudconnector.common.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.VaultEventOrders;
import io.cloudconnector.common.testing.VaultEventOrders.Scenario;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.common.web.PageRequest;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The one vault directory of the vault events' consumers, against DynamoDB in the emulator. */
@WithAwsEmulator
class VaultDirectoryIT {

    private static DynamoDbClient dynamo;
    private static ServiceTable table;
    private static VaultDirectory directory;
    private static List<EventHandler<?>> handlers;

    @BeforeAll
    static void table(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
        dynamo = ConnectorStack.clients(emulator).sync(DynamoDbClient.builder());
        table = new ServiceTable(dynamo, "cc-test-integrity");
        directory = new VaultDirectory(dynamo, table, Map.of("autoScan", AttributeValue.fromBool(true)));
        handlers = List.of(
                EventHandler.of(VaultCreated.class, directory::created),
                EventHandler.of(VaultDeleted.class, directory::deleted));
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void everyOrderOfTheEventsEachDeliveredTwiceEndsInTheSameState() {
        var scenarios = VaultEventOrders.everyOrderOfEverySubset();
        assertThat(scenarios).hasSize(111);
        var softly = new SoftAssertions();
        for (Scenario scenario : scenarios) {
            scenario.deliveries().forEach(VaultDirectoryIT::deliver);

            var entry = directory.find(scenario.vaultId()).orElseThrow();
            softly.assertThat(entry.deleted()).as("deleted after %s", scenario).isEqualTo(scenario.expectDeleted());
            softly.assertThat(entry.described())
                    .as("described after %s", scenario)
                    .isEqualTo(scenario.described());
            softly.assertThat(entry.updatedAt())
                    .as("updatedAt after %s", scenario)
                    .isEqualTo(scenario.expectedUpdatedAt());
            softly.assertThat(entry.item().get("autoScan"))
                    .as("initial attribute after %s", scenario)
                    .isEqualTo(AttributeValue.fromBool(true));
            if (scenario.described()) {
                var expected = scenario.expectedDescription();
                softly.assertThat(List.of(entry.name(), entry.region(), entry.bucketName(), entry.kmsKeyArn()))
                        .as("description after %s", scenario)
                        .containsExactly(
                                expected.name(), expected.region(), expected.bucketName(), expected.kmsKeyArn());
            }
            softly.assertThat(entry.active())
                    .as("active after %s", scenario)
                    .isEqualTo(scenario.described() && !scenario.expectDeleted());
        }
        softly.assertAll();
    }

    @Test
    void aDeletionBeforeItsCreationLeavesATombstoneTheLateCreationDescribesButDoesNotRevive() {
        var scenario = VaultEventOrders.everyOrderOfAll().getLast(); // deleted, deleted, redescribed, ..., created
        assertThat(scenario.deliveries().getFirst().payload()).isInstanceOf(VaultDeleted.class);
        var deletion = scenario.deliveries().getFirst();
        deliver(deletion);
        assertThat(directory.find(scenario.vaultId())).hasValueSatisfying(v -> {
            assertThat(v.deleted()).isTrue();
            assertThat(v.described()).isFalse();
        });

        scenario.deliveries().stream()
                .filter(e -> e.payload() instanceof VaultCreated)
                .forEach(VaultDirectoryIT::deliver);

        var vault = directory.find(scenario.vaultId()).orElseThrow();
        assertThat(vault.deleted()).isTrue();
        assertThat(vault.bucketName()).isEqualTo(scenario.expectedDescription().bucketName());
        assertThat(directory.active()).noneMatch(v -> v.id().equals(scenario.vaultId()));
    }

    @Test
    void aServiceKeepsItsOwnAttributesOnLiveVaultsOnly() {
        var scenario = VaultEventOrders.everyOrderOfEverySubset().getFirst(); // created, created
        scenario.deliveries().forEach(VaultDirectoryIT::deliver);

        var updated = directory.update(scenario.vaultId(), Map.of("autoScan", AttributeValue.fromBool(false)));
        assertThat(updated)
                .hasValueSatisfying(
                        v -> assertThat(v.item().get("autoScan").bool()).isFalse());
        // A redelivered creation keeps what the service set.
        deliver(scenario.deliveries().getFirst());
        assertThat(directory
                        .find(scenario.vaultId())
                        .orElseThrow()
                        .item()
                        .get("autoScan")
                        .bool())
                .isFalse();
        assertThat(directory.active()).anyMatch(v -> v.id().equals(scenario.vaultId()));
        assertThat(directory.listActive(PageRequest.of(100, null)).items())
                .anyMatch(v -> v.id().equals(scenario.vaultId()));

        deliver(EventEnvelope.wrap(new VaultDeleted(scenario.vaultId()), "cc-test", null, java.time.Clock.systemUTC()));
        assertThat(directory.update(scenario.vaultId(), Map.of("autoScan", AttributeValue.fromBool(true))))
                .isEmpty();
        var tombstone = directory.find(scenario.vaultId()).orElseThrow();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.item().get("autoScan").bool()).isFalse();
        assertThat(directory.listActive(PageRequest.of(100, null)).items())
                .noneMatch(v -> v.id().equals(scenario.vaultId()));

        assertThat(directory.update("vlt-unknown", Map.of("autoScan", AttributeValue.fromBool(true))))
                .isEmpty();
        assertThat(directory.find("vlt-unknown")).isEmpty();
        assertThatThrownBy(
                        () -> directory.update(scenario.vaultId(), Map.of("deleted", AttributeValue.fromBool(false))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void deliver(EventEnvelope envelope) {
        handlers.stream()
                .filter(h -> h.eventType().isInstance(envelope.payload()))
                .forEach(h -> handle(h, envelope));
    }

    private static <E extends io.cloudconnector.common.event.ConnectorEvent> void handle(
            EventHandler<E> handler, EventEnvelope envelope) {
        handler.handle(envelope, handler.eventType().cast(envelope.payload()));
    }
}
