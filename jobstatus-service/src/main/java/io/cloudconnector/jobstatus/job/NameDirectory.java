package io.cloudconnector.jobstatus.job;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The names of vaults ({@code VaultCreated}) and assets (their {@code Name} tag, from {@code AssetChanged}), so that
 * a job shows what it is about by name. One item per vault or asset, {@code pk = NAME#<id>}, {@code sk = NAME},
 * written only over an older one (the events' envelope {@code time} in milliseconds, then {@code id}), so any order of delivery
 * ends with the newest name; an asset's deletion leaves its last name (its jobs still show it). Reads go through a
 * cache that the writes of this task keep current; only a name (or its absence) read for the first time waits for
 * the table. Every cached name is read again, in batches and in the background, every {@link #REREAD}, so that a
 * name another task learnt is seen within about that.
 */
@Component
class NameDirectory implements JobNames, DisposableBean {

    /** How often the cached names (and absences) are read again. */
    static final Duration REREAD = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(NameDirectory.class);
    private static final String SK = "NAME";
    /** The most keys one BatchGetItem may ask for. */
    private static final int BATCH = 100;

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Cache<String, Optional<String>> cache;
    private final ScheduledExecutorService rereader = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("name-reread").factory());

    NameDirectory(DynamoDbClient dynamo, ServiceTable table, JobsProperties properties) {
        this.dynamo = dynamo;
        this.table = table;
        this.cache = Caffeine.newBuilder().maximumSize(properties.cacheSize()).build();
        rereader.scheduleWithFixedDelay(this::rereadAll, REREAD.toMillis(), REREAD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the names of {@code ids} not cached yet, in batches, so that the first reads of the jobs that name them
     * need not wait for the table (the job cache's warm-up does this for the jobs it loads).
     */
    void preload(Collection<String> ids) {
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            if (cache.getIfPresent(id) == null) {
                missing.add(id);
            }
        }
        readInBatches(missing);
    }

    /** Reads every cached name again; never throws, the next run tries again. */
    void rereadAll() {
        try {
            readInBatches(List.copyOf(cache.asMap().keySet()));
        } catch (RuntimeException e) {
            log.warn("Cannot re-read the names of vaults and assets: {}", e.getMessage());
        }
    }

    /** Reads the names of {@code ids} with BatchGetItem, 100 at a time, and caches each name or its absence. */
    private void readInBatches(List<String> ids) {
        for (int from = 0; from < ids.size(); from += BATCH) {
            var chunk = ids.subList(from, Math.min(ids.size(), from + BATCH));
            Map<String, Optional<String>> found = new HashMap<>();
            chunk.forEach(id -> found.put(id, Optional.empty()));
            List<Map<String, AttributeValue>> keys = new ArrayList<>(chunk.stream()
                    .map(id -> Map.of(ServiceTable.PK, s(pk(id)), ServiceTable.SK, s(SK)))
                    .toList());
            for (int attempt = 0; !keys.isEmpty() && attempt < 5; attempt++) {
                var request = Map.of(
                        table.name(),
                        KeysAndAttributes.builder()
                                .keys(keys)
                                .consistentRead(true)
                                .build());
                var response = dynamo.batchGetItem(b -> b.requestItems(request));
                response.responses()
                        .getOrDefault(table.name(), List.of())
                        .forEach(item -> found.put(
                                Items.string(item, "id"), Optional.ofNullable(Items.optionalString(item, "name"))));
                var unprocessed = response.unprocessedKeys().get(table.name());
                keys = unprocessed == null ? List.of() : new ArrayList<>(unprocessed.keys());
            }
            // Keys the table still did not answer after the retries stay as they were (or read on their first use).
            keys.forEach(key -> found.remove(Items.string(key, ServiceTable.PK).substring("NAME#".length())));
            cache.putAll(found);
        }
    }

    /** The vault's name from its creation (a later description renames it). */
    void vaultCreated(EventEnvelope envelope, VaultCreated event) {
        learn(event.vaultId(), event.name(), envelope);
    }

    /** The asset's {@code Name} tag as it is now; a deletion changes nothing. */
    void assetChanged(EventEnvelope envelope, AssetChanged event) {
        var after = event.after();
        if (after == null) {
            return;
        }
        String name =
                after.get("tags") instanceof Map<?, ?> tags && tags.get("Name") instanceof String n && !n.isBlank()
                        ? n
                        : null;
        learn(event.assetId(), name, envelope);
    }

    @Override
    public @Nullable String vaultName(String vaultId) {
        return name(vaultId);
    }

    @Override
    public @Nullable String assetName(String assetId) {
        return name(assetId);
    }

    private @Nullable String name(String id) {
        return cache.get(id, key -> table.get(pk(key), SK).map(item -> Items.optionalString(item, "name")))
                .orElse(null);
    }

    private void learn(String id, @Nullable String name, EventEnvelope envelope) {
        var item = ServiceTable.item(pk(id), SK);
        item.put("id", s(id));
        if (name != null) {
            item.put("name", s(name));
        }
        item.put("describedAt", n(envelope.time().toEpochMilli()));
        item.put("describedBy", s(envelope.id()));
        Map<String, String> names =
                new HashMap<>(Map.of("#pk", ServiceTable.PK, "#at", "describedAt", "#by", "describedBy"));
        try {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #at < :at OR (#at = :at AND #by < :by)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(
                            Map.of(":at", n(envelope.time().toEpochMilli()), ":by", s(envelope.id()))));
            cache.put(id, Optional.ofNullable(name));
        } catch (ConditionalCheckFailedException e) {
            // A newer event described it already (or this is a copy of the one that did).
            cache.invalidate(id);
        }
    }

    private static String pk(String id) {
        return "NAME#" + id;
    }

    @Override
    public void destroy() {
        rereader.shutdownNow();
    }
}
