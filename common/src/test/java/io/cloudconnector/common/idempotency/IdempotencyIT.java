package io.cloudconnector.common.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link Idempotency} against a real table: what is recorded, what is replayed, what is refused, and that the
 * record is written with what it answers for, so that a lost race is answered as the winner was.
 */
@WithAwsEmulator
class IdempotencyIT {

    /** A created thing, as a service would answer it. */
    record Thing(String id, String name, @Nullable List<String> tags, Instant createdAt) {}

    private static DynamoDbClient dynamo;
    private static ServiceTable table;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T04:00:00Z"));
    private Idempotency idempotency;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger keys = new AtomicInteger();
    /** Ids unique across the class: the table is shared by its tests. */
    private static final AtomicInteger IDS = new AtomicInteger();

    private String lastId = "";

    @BeforeAll
    static void table(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
        dynamo = ConnectorStack.clients(emulator).sync(DynamoDbClient.builder());
        table = new ServiceTable(dynamo, "cc-test-catalog");
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @BeforeEach
    void fresh() {
        idempotency = new Idempotency(dynamo, table, EventCodec.standardMapper(), clock);
    }

    /** Creates a thing named after the request and stores it with the claim, in one transaction. */
    private Function<Claim, ResponseEntity<Thing>> create(String name) {
        return claim -> {
            created.incrementAndGet();
            lastId = "t-" + IDS.incrementAndGet();
            var thing = new Thing(lastId, name, List.of("a", "b"), clock.instant());
            var answer = ResponseEntity.accepted()
                    .location(URI.create("/v1/things/" + thing.id()))
                    .body(thing);
            List<TransactWriteItem> writes = new ArrayList<>();
            var item = ServiceTable.item("THING#" + thing.id(), "THING");
            writes.add(TransactWriteItem.builder()
                    .put(p -> p.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"))
                    .build());
            int keyWrite = claim.addTo(writes, answer);
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
            } catch (TransactionCanceledException e) {
                claim.checkCancelled(e, keyWrite);
                throw e;
            }
            return answer;
        };
    }

    private ResponseEntity<Thing> respond(String operation, @Nullable String key, Object request) {
        return idempotency.respond(operation, key, request, Thing.class, create(String.valueOf(request)));
    }

    private String newKey() {
        return "key-" + keys.incrementAndGet() + "-" + System.nanoTime();
    }

    @Test
    void theFirstRequestIsAnsweredAndRecordedForADay() {
        String key = newKey();
        var first = respond("things", key, Map.of("name", "a"));

        assertThat(first.getStatusCode().value()).isEqualTo(202);
        assertThat(first.getHeaders().containsHeader(Idempotency.REPLAYED_HEADER))
                .isFalse();
        var record = table.get("IDEMPOTENCY#things#" + key, "IDEMPOTENCY").orElseThrow();
        assertThat(Items.number(record, ServiceTable.EXPIRES_AT))
                .isEqualTo(clock.instant().plus(Duration.ofHours(24)).getEpochSecond());
        assertThat(Items.number(record, "status")).isEqualTo(202);
        assertThat(Items.string(record, "location"))
                .isEqualTo("/v1/things/" + first.getBody().id());
        assertThat(table.get("THING#" + first.getBody().id(), "THING")).isPresent();
    }

    @Test
    void theSameKeyAndBodyInAnyLayoutGetTheFirstAnswerAgainWithoutCreating() {
        String key = newKey();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "a");
        request.put("sizes", List.of(1, 2));
        request.put("lock", Map.of("mode", "governance", "days", 7));
        var first = respond("things", key, request);
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("lock", new LinkedHashMap<>(Map.of("days", 7, "mode", "governance")));
        reordered.put("nothing", null);
        reordered.put("sizes", List.of(1, 2));
        reordered.put("name", "a");
        clock.advance(Duration.ofHours(23));

        var again = respond("things", key, reordered);

        assertThat(created).hasValue(1);
        assertThat(again.getStatusCode()).isEqualTo(first.getStatusCode());
        assertThat(again.getHeaders().getLocation())
                .isEqualTo(first.getHeaders().getLocation());
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(again.getHeaders().getFirst(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    }

    @Test
    void anotherBodyUnderTheKeyIsA409NamingTheHeader() {
        String key = newKey();
        respond("things", key, Map.of("name", "a"));

        for (Object other : List.of(Map.of("name", "b"), Map.of("name", "a", "extra", 1), List.of(1, 2), "a")) {
            assertThatThrownBy(() -> respond("things", key, other))
                    .isInstanceOfSatisfying(
                            ConflictException.class,
                            e -> assertThat(e.errors())
                                    .extracting(FieldProblem::field)
                                    .containsExactly("Idempotency-Key"));
        }
        assertThat(created).hasValue(1);
    }

    @Test
    void arraysKeepTheirOrder() {
        assertThat(idempotency.requestHash(Map.of("types", List.of("ec2", "ebs"))))
                .isNotEqualTo(idempotency.requestHash(Map.of("types", List.of("ebs", "ec2"))))
                .isEqualTo(idempotency.requestHash(Map.of("types", Arrays.asList("ec2", "ebs"))));
    }

    @Test
    void aKeyBelongsToOneOperation() {
        String key = newKey();
        var backup = respond("backups", key, Map.of("name", "a"));
        var restore = respond("restores", key, Map.of("name", "a"));

        assertThat(created).hasValue(2);
        assertThat(restore.getBody().id()).isNotEqualTo(backup.getBody().id());
        assertThat(restore.getHeaders().containsHeader(Idempotency.REPLAYED_HEADER))
                .isFalse();
    }

    @Test
    void withoutAKeyEveryRequestIsItsOwn() {
        var first = respond("things", null, Map.of("name", "a"));
        var second = respond("things", null, Map.of("name", "a"));

        assertThat(created).hasValue(2);
        assertThat(second.getBody().id()).isNotEqualTo(first.getBody().id());
    }

    @Test
    void aKeyIsFreeAgainAfterADay() {
        String key = newKey();
        var first = respond("things", key, Map.of("name", "a"));
        clock.advance(Duration.ofHours(24).plusSeconds(1));

        // TTL deletion is lazy: the old record is still there, and holds the key no more.
        var later = respond("things", key, Map.of("name", "b"));

        assertThat(created).hasValue(2);
        assertThat(later.getBody().id()).isNotEqualTo(first.getBody().id());
        assertThat(respond("things", key, Map.of("name", "b")).getBody()).isEqualTo(later.getBody());
    }

    @Test
    void aRecordWithoutAnAnswerFromBeforeThisImplementationHoldsNothing() {
        String key = newKey();
        var legacy = ServiceTable.item("IDEMPOTENCY#things#" + key, "IDEMPOTENCY");
        legacy.put("requestHash", ServiceTable.s("0123"));
        legacy.put("jobId", ServiceTable.s("j-1"));
        legacy.put(
                ServiceTable.EXPIRES_AT,
                ServiceTable.n(clock.instant().plus(Duration.ofHours(1)).getEpochSecond()));
        table.put(legacy);

        var first = respond("things", key, Map.of("name", "a"));

        assertThat(first.getHeaders().containsHeader(Idempotency.REPLAYED_HEADER))
                .isFalse();
        assertThat(respond("things", key, Map.of("name", "a")).getBody()).isEqualTo(first.getBody());
    }

    @Test
    void aRequestThatLosesTheRaceForItsKeyIsAnsweredAsTheWinnerWasAndCreatesNothing() {
        String key = newKey();
        var winner = new AtomicReference<String>();
        // The winner with the same key and body commits between the loser's look-up and its write.
        var answer = idempotency.respond("things", key, Map.of("name", "a"), Thing.class, claim -> {
            respond("things", key, Map.of("name", "a"));
            winner.set(lastId);
            return create("loser").apply(claim);
        });

        assertThat(answer.getBody().id()).isEqualTo(winner.get());
        assertThat(answer.getHeaders().getFirst(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(created).hasValue(2);
        assertThat(table.get("THING#" + lastId, "THING"))
                .as("the loser's transaction wrote nothing")
                .isEmpty();
    }

    @Test
    void aLoserWithAnotherBodyGetsA409() {
        String key = newKey();
        assertThatThrownBy(() -> idempotency.respond("things", key, Map.of("name", "b"), Thing.class, claim -> {
                    respond("things", key, Map.of("name", "a"));
                    return create("loser").apply(claim);
                }))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void aRecordWrittenAloneAlsoHoldsItsKey() {
        String key = newKey();
        Function<Claim, ResponseEntity<Thing>> alone = claim -> {
            created.incrementAndGet();
            var answer =
                    ResponseEntity.accepted().body(new Thing("t-" + IDS.incrementAndGet(), "x", null, clock.instant()));
            claim.put(answer);
            return answer;
        };
        var first = idempotency.respond("checks", key, null, Thing.class, alone);
        var again = idempotency.respond("checks", key, null, Thing.class, alone);
        var raced = idempotency.respond("checks", newKey(), null, Thing.class, claim -> {
            idempotency.respond("checks", keyOf(claim), null, Thing.class, alone);
            return alone.apply(claim);
        });

        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(again.getHeaders().getLocation()).isNull();
        assertThat(raced.getHeaders().getFirst(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    }

    @Test
    void aReleasedKeyIsFree() {
        String key = newKey();
        assertThatThrownBy(() -> idempotency.respond("things", key, Map.of("name", "a"), Thing.class, claim -> {
                    var answer = create("a").apply(claim);
                    claim.release(); // as when what was created had to be taken back
                    throw new IllegalStateException(
                            "could not announce " + answer.getBody().id());
                }))
                .isInstanceOf(IllegalStateException.class);

        var retry = respond("things", key, Map.of("name", "b"));

        assertThat(created).hasValue(2);
        assertThat(retry.getHeaders().containsHeader(Idempotency.REPLAYED_HEADER))
                .isFalse();
    }

    @Test
    void aBadKeyIsRefusedBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> respond("things", "a b", Map.of("name", "a")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(created).hasValue(0);
    }

    private static String keyOf(Claim claim) {
        return claim.key();
    }
}
