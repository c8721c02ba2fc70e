package io.cloudconnector.common.idempotency;

import io.cloudconnector.common.store.ServiceTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A request's hold on its {@code Idempotency-Key}, handed by {@link Idempotency#respond} to the code that
 * creates: it records the answer in the same write as what was created. Without a key every method does
 * nothing. The write is conditional: it fails when a live record holds the key, and the request is then
 * answered as the one that holds it.
 */
public final class Claim {

    private static final String CONDITION =
            "attribute_not_exists(#pk) OR #expires < :now OR attribute_not_exists(#status)";

    private static final Claim NONE = new Claim(null, "", null, "", Instant.EPOCH);

    private final @Nullable Idempotency idempotency;
    private final String operation;
    private final @Nullable String key;
    private final String requestHash;
    private final Instant at;

    Claim(@Nullable Idempotency idempotency, String operation, @Nullable String key, String requestHash, Instant at) {
        this.idempotency = idempotency;
        this.operation = operation;
        this.key = key;
        this.requestHash = requestHash;
        this.at = at;
    }

    /** The claim of a request without a key, e.g. a job created by the service itself: it records nothing. */
    public static Claim none() {
        return NONE;
    }

    /** Whether the request carries a key (else nothing is recorded). */
    public boolean hasKey() {
        return key != null;
    }

    /**
     * Adds the record of {@code answer} to a transaction's writes.
     *
     * @return its index in {@code writes}, for {@link #checkCancelled}, or -1 without a key
     */
    public int addTo(List<TransactWriteItem> writes, ResponseEntity<?> answer) {
        if (key == null || idempotency == null) {
            return -1;
        }
        var item = idempotency.record(this, answer);
        var table = idempotency.table();
        writes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name())
                        .item(item)
                        .conditionExpression(CONDITION)
                        .expressionAttributeNames(names())
                        .expressionAttributeValues(Map.of(":now", ServiceTable.n(at.getEpochSecond()))))
                .build());
        return writes.size() - 1;
    }

    /**
     * After a cancelled transaction that held this claim at {@code index}: if the key was what failed, hands the
     * request over to the one that took it (the transaction wrote nothing); otherwise returns, and the caller
     * reads the other reasons.
     */
    public void checkCancelled(TransactionCanceledException cancelled, int index) {
        if (index < 0) {
            return;
        }
        var reasons = cancelled.cancellationReasons();
        if (reasons.size() > index
                && "ConditionalCheckFailed".equals(reasons.get(index).code())) {
            throw new Idempotency.KeyTakenException(operation, key());
        }
    }

    /** Records {@code answer} on its own, for a request that stores nothing else. */
    public void put(ResponseEntity<?> answer) {
        if (key == null || idempotency == null) {
            return;
        }
        var table = idempotency.table();
        try {
            idempotency
                    .dynamo()
                    .putItem(b -> b.tableName(table.name())
                            .item(idempotency.record(this, answer))
                            .conditionExpression(CONDITION)
                            .expressionAttributeNames(names())
                            .expressionAttributeValues(Map.of(":now", ServiceTable.n(at.getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            throw new Idempotency.KeyTakenException(operation, key());
        }
    }

    /** Gives the key back: what it recorded was undone (e.g. a job that could not be announced). */
    public void release() {
        if (key != null && idempotency != null) {
            idempotency.table().delete(Idempotency.pk(operation, key), Idempotency.SK);
        }
    }

    private static Map<String, String> names() {
        return Map.of("#pk", ServiceTable.PK, "#expires", ServiceTable.EXPIRES_AT, "#status", Idempotency.STATUS);
    }

    String operation() {
        return operation;
    }

    String key() {
        if (key == null) {
            throw new IllegalStateException("A claim without a key records nothing");
        }
        return key;
    }

    String requestHash() {
        return requestHash;
    }

    Instant at() {
        return at;
    }
}
