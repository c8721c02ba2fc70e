package io.cloudconnector.common.messaging;

import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Which events this service has handled, as {@code EVENT#<id>} items in the service's table.
 *
 * <p>A consumer first <em>claims</em> an event with a conditional write (a short lease), handles it, then
 * marks it done (kept for {@code retention}). Two copies of one message handled at the same moment thus
 * run the handlers once; a consumer that dies mid-way leaves a lease that expires, so a redelivery takes
 * over; a handler that fails releases its claim so the redelivery can retry at once.
 */
public final class ProcessedEvents {

    /** The outcome of a claim. */
    public enum Claim {
        /** This consumer handles the event now. */
        ACQUIRED,
        /** The event was handled before; skip it. */
        ALREADY_DONE,
        /** Another consumer is handling it right now; try again later. */
        BUSY
    }

    /**
     * A claim's outcome and, when {@link Claim#BUSY}, how long the other consumer's lease still holds (zero when
     * it has just run out or the claim went away between the write and the read).
     */
    public record Attempt(Claim claim, Duration leaseLeft) {}

    private static final String SK = "PROCESSED";
    private static final String DONE = "DONE";
    private static final String IN_PROGRESS = "IN_PROGRESS";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Clock clock;
    private final Duration lease;
    private final Duration retention;

    public ProcessedEvents(DynamoDbClient dynamo, ServiceTable table, Clock clock, Duration lease, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.lease = lease;
        this.retention = retention;
    }

    /** Claims the event for this consumer. */
    public Claim claim(String eventId, String type) {
        return attempt(eventId, type).claim();
    }

    /**
     * Claims the event for this consumer; when another consumer holds it, says for how long its lease still holds,
     * so that the message can come back just after it runs out (and a dead consumer's event is taken over).
     */
    public Attempt attempt(String eventId, String type) {
        Instant now = clock.instant();
        var item = ServiceTable.item(key(eventId), SK);
        item.put("type", ServiceTable.s(type));
        item.put("status", ServiceTable.s(IN_PROGRESS));
        item.put("leaseUntil", ServiceTable.n(now.plus(lease).toEpochMilli()));
        item.put(ServiceTable.EXPIRES_AT, ServiceTable.n(now.plus(retention).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR (#status = :inProgress AND #lease < :now)")
                    .expressionAttributeNames(
                            Map.of("#pk", ServiceTable.PK, "#status", "status", "#lease", "leaseUntil"))
                    .expressionAttributeValues(Map.of(
                            ":inProgress", ServiceTable.s(IN_PROGRESS), ":now", ServiceTable.n(now.toEpochMilli()))));
            return new Attempt(Claim.ACQUIRED, Duration.ZERO);
        } catch (ConditionalCheckFailedException e) {
            var existing = table.get(key(eventId), SK);
            if (existing.isEmpty()) {
                return new Attempt(Claim.BUSY, Duration.ZERO);
            }
            var found = existing.get();
            if (DONE.equals(
                    found.getOrDefault("status", AttributeValue.fromS("")).s())) {
                return new Attempt(Claim.ALREADY_DONE, Duration.ZERO);
            }
            var until = found.get("leaseUntil");
            long left = until == null || until.n() == null ? 0 : Long.parseLong(until.n()) - now.toEpochMilli();
            return new Attempt(Claim.BUSY, Duration.ofMillis(Math.max(0, left)));
        }
    }

    /** Records that the claimed event was handled. */
    public void complete(String eventId, String type) {
        var item = ServiceTable.item(key(eventId), SK);
        item.put("type", ServiceTable.s(type));
        item.put("status", ServiceTable.s(DONE));
        item.put(
                ServiceTable.EXPIRES_AT,
                ServiceTable.n(clock.instant().plus(retention).getEpochSecond()));
        table.put(item);
    }

    /** Gives up a claim after a failed handler, so that a redelivery can try again at once. */
    public void release(String eventId) {
        table.delete(key(eventId), SK);
    }

    private static String key(String eventId) {
        return "EVENT#" + eventId;
    }
}
