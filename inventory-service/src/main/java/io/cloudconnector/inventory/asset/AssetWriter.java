package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.inventory.asset.AssetMerge.Write;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Applies observations to the asset table, safely under concurrency: every write is conditional on the
 * version read (several replicas, the resync and the event handler may race on one asset), a lost race
 * re-reads and merges again, and a change is written in the same single-item write as its outbox entry
 * ({@link ChangeOutbox}), so it is announced exactly when the table changed.
 */
@Component
public class AssetWriter {

    /** Races on one asset are rare and short; this many lost in a row means something is wrong. */
    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final ChangeOutbox outbox;
    private final Clock clock;

    AssetWriter(DynamoDbClient dynamo, ServiceTable table, ChangeOutbox outbox, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The discovered asset with this id, read consistently. */
    public Optional<AssetRecord> find(String assetId) {
        return table.get(AssetItems.pk(assetId), AssetItems.SK).flatMap(AssetItems::record);
    }

    /** Every discovered asset, and the changes their committers left unpublished. */
    public record Snapshot(Map<String, AssetRecord> records, List<PendingChange> unpublished) {}

    /**
     * Every discovered asset, from the listing index. The index lags the table slightly; callers use the
     * records as the starting point of {@link #applyOver}, where a stale one costs a re-read, never a wrong write.
     */
    public Snapshot snapshot() {
        Map<String, AssetRecord> records = new HashMap<>();
        List<PendingChange> unpublished = new ArrayList<>();
        var request = QueryRequest.builder()
                .tableName(table.name())
                .indexName(ServiceTable.GSI1)
                .keyConditionExpression("#p = :p")
                .expressionAttributeNames(Map.of("#p", ServiceTable.GSI1_PK))
                .expressionAttributeValues(Map.of(":p", ServiceTable.s(AssetItems.LIST)))
                .build();
        dynamo.queryPaginator(request).items().forEach(item -> {
            AssetItems.record(item).ifPresent(r -> records.put(r.id(), r));
            unpublished.addAll(outbox.unpublished(item));
        });
        return new Snapshot(records, unpublished);
    }

    /** Applies one observation to the asset as the table holds it now; returns the change, if it made one. */
    public Optional<PendingChange> apply(Observation observation, @Nullable String correlationId) {
        return applyOver(find(observation.assetId()).orElse(null), observation, correlationId);
    }

    /**
     * Applies one observation, assuming the asset is {@code assumed} (null: not discovered yet); if the table
     * holds another version, reads it and merges again. Returns the change, if the observation made one.
     */
    public Optional<PendingChange> applyOver(
            @Nullable AssetRecord assumed, Observation observation, @Nullable String correlationId) {
        AssetRecord current = assumed;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            var outcome = AssetMerge.merge(current, observation, clock.instant());
            if (!(outcome instanceof Write write)) {
                return Optional.empty();
            }
            long expected = current == null ? 0 : current.version();
            var pending = write.change() == null ? null : outbox.pending(write.change(), correlationId);
            if (write(write.next(), expected, pending)) {
                return Optional.ofNullable(pending);
            }
            current = find(observation.assetId()).orElse(null);
        }
        throw new IllegalStateException("Asset " + observation.assetId() + " changed under " + MAX_ATTEMPTS
                + " attempts to apply " + observation + " in a row");
    }

    /** The version of an asset's protection attributes (0 when it has none yet). */
    public long protectionVersion(String assetId) {
        return table.get(AssetItems.pk(assetId), AssetItems.SK)
                .map(item -> Items.number(item, AssetItems.PROTECTION_VERSION))
                .orElse(0L);
    }

    /**
     * Replaces an asset's protection summary if its protection version is still {@code expectedVersion};
     * {@code false} if someone else wrote it meanwhile. Creates a facts-less item for an asset not discovered yet.
     */
    public boolean writeProtection(String assetId, ProtectionSummary summary, long expectedVersion) {
        return updateIf(
                AssetItems.key(assetId),
                Updates.of(AssetItems.protectionAttributes(summary, expectedVersion + 1))
                        .onlyIfVersion(AssetItems.PROTECTION_VERSION, expectedVersion));
    }

    /**
     * Writes {@code next} if the asset is still at version {@code expected}, with {@code pending} (if there is
     * a change) on the same item in the same write; {@code false} if it lost a race.
     */
    private boolean write(AssetRecord next, long expected, @Nullable PendingChange pending) {
        Map<String, @Nullable AttributeValue> attributes = new HashMap<>(AssetItems.discoveryAttributes(next));
        if (pending != null) {
            attributes.put(ChangeOutbox.attributeName(pending), outbox.attributeValue(pending));
        }
        return updateIf(AssetItems.key(next.id()), Updates.of(attributes).onlyIfVersion(AssetItems.VERSION, expected));
    }

    private boolean updateIf(Map<String, AttributeValue> key, Updates.ConditionalUpdate update) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key)
                    .updateExpression(update.expression())
                    .conditionExpression(update.condition())
                    .expressionAttributeNames(update.names())
                    .expressionAttributeValues(update.values()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
