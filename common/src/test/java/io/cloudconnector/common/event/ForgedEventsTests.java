package io.cloudconnector.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.messaging.ProcessedEvents;
import io.cloudconnector.common.store.ServiceTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A forged event changes nothing: every event type, from every source that may not produce it (each other
 * service and sources no service has), goes through the inbox's listener path and is dropped before it is
 * claimed or handled; from each of its producers the same event is handled, once.
 */
class ForgedEventsTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:15:30Z"), ZoneOffset.UTC);
    private static final EventCodec CODEC = EventCodec.standard();
    private static final JsonMapper JSON = EventCodec.standardMapper();

    /** The six services' sources, and connector-looking sources no service has. */
    private static final List<String> SOURCES = Stream.concat(
                    EventProducers.sources().stream(),
                    Stream.of("cloudconnector.scanner", "cloudconnector.", "cloudconnector.Catalog"))
            .toList();

    /** One sample of every event type. */
    private static Map<String, ConnectorEvent> samples() {
        var samples = new HashMap<String, ConnectorEvent>();
        EventCodecTests.oneOfEachEvent().forEach(event -> samples.putIfAbsent(EventTypes.typeOf(event), event));
        return samples;
    }

    static Stream<Arguments> everyTypeFromEveryWrongSource() {
        return samples().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .flatMap(sample -> SOURCES.stream()
                        .filter(source -> !EventProducers.mayProduce(source, sample.getKey()))
                        .map(source -> Arguments.of(sample.getKey(), source, sample.getValue())));
    }

    static Stream<Arguments> everyTypeFromEachOfItsProducers() {
        return samples().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .flatMap(sample -> EventProducers.sourcesOf(sample.getKey()).stream()
                        .map(source -> Arguments.of(sample.getKey(), source, sample.getValue())));
    }

    @Test
    void everyTypeIsTriedFromMoreThanOneWrongSource() {
        var tried = everyTypeFromEveryWrongSource()
                .map(arguments -> (String) arguments.get()[0])
                .distinct()
                .toList();
        assertThat(tried).containsExactlyInAnyOrderElementsOf(EventTypes.names());
        assertThat(everyTypeFromEveryWrongSource().count())
                .isEqualTo(EventTypes.names().size() * (long) SOURCES.size()
                        - everyTypeFromEachOfItsProducers().count());
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyTypeFromEveryWrongSource")
    void aForgedEventIsDroppedCountedAndChangesNothing(String type, String source, ConnectorEvent event) {
        var inbox = new TestInbox();
        var message = fromBus(source, type, EventEnvelope.wrap(event, "cc-test", null, CLOCK));

        assertThatThrownBy(() -> CODEC.decodeFromInbox(message))
                .isInstanceOfSatisfying(ForgedEventException.class, e -> {
                    assertThat(e.source()).isEqualTo(source);
                    assertThat(e.type()).isEqualTo(type);
                });
        assertThatThrownBy(() -> CODEC.decode(message))
                .as("refused outside an inbox too")
                .isInstanceOf(ForgedEventException.class);
        inbox.receive(message);
        inbox.receive(message);

        assertThat(inbox.handled).isEmpty();
        assertThat(inbox.table.calls)
                .as("reads and writes of the inbox's table")
                .isZero();
        assertThat(inbox.dispatcher.forgeriesDropped(source, type)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyTypeFromEachOfItsProducers")
    void theSameEventFromItsProducerIsHandledOnce(String type, String source, ConnectorEvent event) {
        var inbox = new TestInbox();
        var envelope = EventEnvelope.wrap(event, "cc-test", null, CLOCK);
        var message = fromBus(source, type, envelope);

        assertThat(CODEC.decodeFromInbox(message)).isEqualTo(envelope);
        inbox.receive(message);
        inbox.receive(message);

        assertThat(inbox.handled).containsExactly(type + "/" + envelope.id());
        assertThat(inbox.dispatcher.forgeriesDropped(source, type)).isZero();
    }

    @Test
    void aDetailTypeThatIsNotTheEnvelopesTypeIsAForgery() {
        // background-jobs may publish RecoveryPointCreated, so a rule routes this to the catalog; the
        // payload inside claims the catalog's RecoveryPointExpired.
        var inbox = new TestInbox();
        var expired = EventEnvelope.wrap(new RecoveryPointExpired("rp-1", "vlt-1", "a-1"), "cc-test", null, CLOCK);
        var message = fromBus("cloudconnector.background-jobs", "RecoveryPointCreated", expired);

        assertThatThrownBy(() -> CODEC.decode(message))
                .isInstanceOf(ForgedEventException.class)
                .hasMessageContaining("detail-type RecoveryPointCreated carries a RecoveryPointExpired");
        inbox.receive(message);

        assertThat(inbox.handled).isEmpty();
        assertThat(inbox.table.calls).isZero();
        assertThat(inbox.dispatcher.forgeriesDropped("cloudconnector.background-jobs", "RecoveryPointExpired"))
                .isEqualTo(1);
    }

    @Test
    void onlyTheTypesThatNeverTravelOnTheBusMayArriveAsABareEnvelope() {
        var inbox = new TestInbox();
        for (var sample : samples().entrySet()) {
            var envelope = EventEnvelope.wrap(sample.getValue(), "cc-test", null, CLOCK);
            inbox.receive(CODEC.encode(envelope));
            if (!EventProducers.DIRECT.contains(sample.getKey())) {
                assertThat(inbox.dispatcher.forgeriesDropped(ForgedEventException.NO_SOURCE, sample.getKey()))
                        .as(sample.getKey())
                        .isEqualTo(1);
            }
        }

        var tick = EventEnvelope.wrap(samples().get("PolicyTick"), "cc-test", null, CLOCK);
        assertThat(inbox.handled).singleElement().asString().startsWith("PolicyTick/");
        assertThat(CODEC.decodeFromInbox(CODEC.encode(tick))).isEqualTo(tick);
        var deleted = EventEnvelope.wrap(new VaultDeleted("vlt-1"), "cc-test", null, CLOCK);
        assertThatThrownBy(() -> CODEC.decodeFromInbox(CODEC.encode(deleted))).isInstanceOf(ForgedEventException.class);
        assertThat(CODEC.decode(CODEC.encode(deleted)))
                .as("outside an inbox (tools, tests) a bare envelope is read as it is")
                .isEqualTo(deleted);
    }

    @Test
    void aForgeryIsLoggedOncePerSourceAndTypeAndCountedEveryTime() {
        var appender = new ListAppender<ILoggingEvent>();
        var logger = (Logger) LoggerFactory.getLogger(InboxDispatcher.class);
        appender.start();
        logger.addAppender(appender);
        try {
            var inbox = new TestInbox();
            var deleted = EventEnvelope.wrap(new VaultDeleted("vlt-1"), "cc-test", null, CLOCK);
            var expired = EventEnvelope.wrap(new RecoveryPointExpired("rp-1", "vlt-1", "a-1"), "cc-test", null, CLOCK);
            for (int i = 0; i < 3; i++) {
                inbox.receive(fromBus("cloudconnector.integrity", "VaultDeleted", deleted));
                inbox.receive(fromBus("cloudconnector.integrity", "RecoveryPointExpired", expired));
                // Sources no service has share one tag and one log line per type.
                inbox.receive(fromBus("cloudconnector.scanner-" + i, "VaultDeleted", deleted));
            }

            assertThat(appender.list)
                    .filteredOn(event -> event.getLevel() == Level.ERROR)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .hasSize(3)
                    .anySatisfy(
                            line -> assertThat(line).contains("cloudconnector.integrity may not produce VaultDeleted"))
                    .anySatisfy(line ->
                            assertThat(line).contains("cloudconnector.integrity may not produce RecoveryPointExpired"))
                    .anySatisfy(
                            line -> assertThat(line).contains("cloudconnector.scanner-0 may not produce VaultDeleted"));
            assertThat(inbox.dispatcher.forgeriesDropped("cloudconnector.integrity", "VaultDeleted"))
                    .isEqualTo(3);
            assertThat(inbox.dispatcher.forgeriesDropped("cloudconnector.scanner-7", "VaultDeleted"))
                    .as("every source outside the table under one tag")
                    .isEqualTo(3);
            assertThat(inbox.meters.find(InboxDispatcher.FORGED_EVENTS).counters())
                    .hasSize(3);
            assertThat(inbox.handled).isEmpty();
        } finally {
            logger.detachAppender(appender);
        }
    }

    /** The EventBridge event an inbox receives from a rule, carrying {@code envelope} under a detail-type. */
    private static String fromBus(String source, String detailType, EventEnvelope envelope) {
        var event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", "eb-" + envelope.id());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", "123456789012");
        event.put("time", envelope.time().toString());
        event.put("region", "us-east-1");
        event.putArray("resources");
        event.set("detail", JSON.readTree(CODEC.encode(envelope)));
        return JSON.writeValueAsString(event);
    }

    /** An inbox with a handler of every type, over an in-memory table that counts its calls. */
    private static final class TestInbox {

        final List<String> handled = new ArrayList<>();
        final CountingTable table = new CountingTable();
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final InboxDispatcher dispatcher;

        TestInbox() {
            var handlers = new ArrayList<EventHandler<?>>();
            for (var type : EventTypes.names()) {
                handlers.add(handlerOf(EventTypes.classOf(type).orElseThrow()));
            }
            var processed = new ProcessedEvents(
                    table, new ServiceTable(table, "cc-test-inbox"), CLOCK, Duration.ofSeconds(90), Duration.ofDays(1));
            dispatcher = new InboxDispatcher(CODEC, processed, handlers, List.of(), meters);
        }

        private <E extends ConnectorEvent> EventHandler<E> handlerOf(Class<E> type) {
            return EventHandler.of(type, (envelope, event) -> handled.add(envelope.type() + "/" + envelope.id()));
        }

        void receive(String message) {
            dispatcher.onMessage(message, seconds -> CompletableFuture.completedFuture(null));
        }
    }

    /** DynamoDB as far as the inbox's claims use it: items by key, conditional puts refused over an item. */
    private static final class CountingTable implements DynamoDbClient {

        final Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = new HashMap<>();
        int calls;

        private Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
            return Map.of(ServiceTable.PK, item.get(ServiceTable.PK), ServiceTable.SK, item.get(ServiceTable.SK));
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            calls++;
            var key = key(request.item());
            if (request.conditionExpression() != null && items.containsKey(key)) {
                throw ConditionalCheckFailedException.builder()
                        .message("exists")
                        .build();
            }
            items.put(key, request.item());
            return PutItemResponse.builder().build();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            calls++;
            var item = items.get(key(request.key()));
            return item == null
                    ? GetItemResponse.builder().build()
                    : GetItemResponse.builder().item(item).build();
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            calls++;
            items.remove(key(request.key()));
            return DeleteItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    }
}
