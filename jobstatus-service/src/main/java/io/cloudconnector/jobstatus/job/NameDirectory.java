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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The names of vaults ({@code VaultCreated}) and assets (their {@code Name} tag, from {@code AssetChanged}), so that
 * a job shows what it is about by name. One item per vault or asset, {@code pk = NAME#<id>}, {@code sk = NAME},
 * written only over an older one (the events' envelope {@code time} in milliseconds, then {@code id}), so any order of delivery
 * ends with the newest name; an asset's deletion leaves its last name (its jobs still show it). Reads go through a
 * cache that the writes of this task keep current; a name another task learnt is seen within {@link #REREAD}.
 */
@Component
class NameDirectory implements JobNames {

    /** How long a name read from the table (or its absence) is trusted. */
    static final Duration REREAD = Duration.ofMinutes(1);

    private static final String SK = "NAME";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Cache<String, Optional<String>> cache;

    NameDirectory(DynamoDbClient dynamo, ServiceTable table, JobsProperties properties) {
        this.dynamo = dynamo;
        this.table = table;
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.cacheSize())
                .expireAfterWrite(REREAD)
                .build();
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
}
