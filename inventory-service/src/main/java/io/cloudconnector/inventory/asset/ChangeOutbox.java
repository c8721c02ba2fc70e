package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox of {@code AssetChanged}, kept on the asset item itself: a change is written as attribute
 * {@code pending_<ulid>} in the same conditional write that changes the facts (one item, so atomic without a
 * transaction), and removed once published. Whoever committed a change publishes it at once; the resync
 * {@linkplain #relay relays} what a crash or an EventBridge outage left behind. So no change is lost; a
 * duplicate needs a crash between publishing and removing, and carries the same content.
 */
@Component
public class ChangeOutbox {

    static final String PREFIX = "pending_";
    /** Longer than publishing right after the commit ever takes, so the relay does not race the committer. */
    static final Duration RELAY_GRACE = Duration.ofMinutes(1);
    /** How long a relaying replica holds a change before another one may take it over. */
    private static final Duration CLAIM = Duration.ofMinutes(2);
    /** EventBridge takes at most 10 entries per PutEvents. */
    private static final int PUBLISH_BATCH = 10;

    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};
    private static final Logger log = LoggerFactory.getLogger(ChangeOutbox.class);

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final EventPublisher publisher;
    private final Clock clock;
    private final JsonMapper json = EventCodec.standardMapper();
    private final ProtectionStatuses statuses;

    ChangeOutbox(
            DynamoDbClient dynamo,
            ServiceTable table,
            EventPublisher publisher,
            Clock clock,
            ProtectionStatuses statuses) {
        this.dynamo = dynamo;
        this.table = table;
        this.publisher = publisher;
        this.clock = clock;
        this.statuses = statuses;
    }

    PendingChange pending(AssetChanged change, @Nullable String correlationId) {
        return new PendingChange(Ids.ulid(), change, correlationId);
    }

    /** The attribute holding {@code pending} on its asset's item. */
    static String attributeName(PendingChange pending) {
        return PREFIX + pending.outboxId();
    }

    AttributeValue attributeValue(PendingChange pending) {
        Map<String, AttributeValue> value = new HashMap<>();
        value.put("change", ServiceTable.s(pending.event().change().wireName()));
        value.put("at", ServiceTable.n(clock.millis()));
        if (pending.event().before() != null) {
            value.put(
                    "before",
                    ServiceTable.s(json.writeValueAsString(pending.event().before())));
        }
        if (pending.event().after() != null) {
            value.put(
                    "after",
                    ServiceTable.s(json.writeValueAsString(pending.event().after())));
        }
        if (pending.correlationId() != null) {
            value.put("correlationId", ServiceTable.s(pending.correlationId()));
        }
        return AttributeValue.fromM(value);
    }

    /** The changes on an asset item older than the grace period, i.e. not published by their committer. */
    List<PendingChange> unpublished(Map<String, AttributeValue> item) {
        long cutoff = clock.instant().minus(RELAY_GRACE).toEpochMilli();
        List<PendingChange> found = new ArrayList<>();
        item.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && value.hasM() && Items.number(value.m(), "at") < cutoff) {
                var m = value.m();
                found.add(new PendingChange(
                        name.substring(PREFIX.length()),
                        new AssetChanged(
                                Items.string(item, AssetItems.ID),
                                WireNames.parse(AssetChange.class, Items.string(m, "change")),
                                attributes(Items.optionalString(m, "before")),
                                attributes(Items.optionalString(m, "after"))),
                        Items.optionalString(m, "correlationId")));
            }
        });
        return found;
    }

    /**
     * Publishes committed changes, ten per PutEvents, and removes them from their items. A batch the bus
     * refuses stays for the relay; the caller's work is done either way (the table already changed).
     */
    public void publish(List<PendingChange> changes) {
        for (int from = 0; from < changes.size(); from += PUBLISH_BATCH) {
            var batch = changes.subList(from, Math.min(from + PUBLISH_BATCH, changes.size()));
            try {
                for (var byCorrelation : groupByCorrelation(batch).entrySet()) {
                    publisher.publishAll(
                            byCorrelation.getValue().stream()
                                    .map(PendingChange::event)
                                    .toList(),
                            byCorrelation.getKey().isEmpty() ? null : byCorrelation.getKey());
                }
                batch.forEach(this::remove);
            } catch (RuntimeException e) {
                log.warn(
                        "Could not publish {} asset changes now; the next resync will: {}", batch.size(), e.toString());
            }
        }
        // A changed asset (tags, deletion) may have changed protection status; the periodic pass catches a failure.
        try {
            statuses.assetsChanged(
                    changes.stream().map(c -> c.event().assetId()).distinct().toList());
        } catch (RuntimeException e) {
            log.warn("Could not settle the protection status of {} changed assets: {}", changes.size(), e.toString());
        }
    }

    /** Publishes changes their committer left behind (found by the resync's read of every asset); returns how many. */
    public int relay(List<PendingChange> unpublished) {
        Instant now = clock.instant();
        List<PendingChange> claimed =
                unpublished.stream().filter(p -> claim(p, now)).toList();
        publish(claimed);
        if (!claimed.isEmpty()) {
            log.info("Relayed {} asset changes their committer had not published", claimed.size());
        }
        return claimed.size();
    }

    private boolean claim(PendingChange pending, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(AssetItems.key(pending.event().assetId()))
                    .updateExpression("SET #p.#c = :until")
                    .conditionExpression("attribute_exists(#p) AND (attribute_not_exists(#p.#c) OR #p.#c < :now)")
                    .expressionAttributeNames(Map.of("#p", attributeName(pending), "#c", "claimedUntil"))
                    .expressionAttributeValues(Map.of(
                            ":until",
                            ServiceTable.n(now.plus(CLAIM).toEpochMilli()),
                            ":now",
                            ServiceTable.n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void remove(PendingChange published) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(AssetItems.key(published.event().assetId()))
                .updateExpression("REMOVE #p")
                .expressionAttributeNames(Map.of("#p", attributeName(published))));
    }

    private @Nullable Map<String, Object> attributes(@Nullable String text) {
        return text == null ? null : json.readValue(text, ATTRIBUTES);
    }

    private static Map<String, List<PendingChange>> groupByCorrelation(List<PendingChange> batch) {
        Map<String, List<PendingChange>> groups = new HashMap<>();
        batch.forEach(
                p -> groups.computeIfAbsent(p.correlationId() == null ? "" : p.correlationId(), k -> new ArrayList<>())
                        .add(p));
        return groups;
    }
}
