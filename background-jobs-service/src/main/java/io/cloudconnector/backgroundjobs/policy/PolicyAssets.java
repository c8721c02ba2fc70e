package io.cloudconnector.backgroundjobs.policy;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * This service's projection of the inventory, what a policy's tick selects from: one item per asset,
 * {@code POLICY-ASSET#<assetId>} / {@code ASSET} (listed under {@code POLICY-ASSET}), with its type, tags and whether
 * it is deleted, kept from the inventory's {@code AssetChanged}. The events carry no sequence, so they are ordered by
 * their envelope ({@code time}, then the ULID {@code id}) and written on condition that they are newer than what the
 * item holds: any order, any repeats, one end state.
 */
@Repository
class PolicyAssets {

    private static final Logger log = LoggerFactory.getLogger(PolicyAssets.class);
    static final String LIST = "POLICY-ASSET";
    private static final String SK = "ASSET";

    /** An asset as a tick sees it. */
    record Asset(String id, String type, Map<String, String> tags, boolean deleted) {}

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    PolicyAssets(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Applies an {@code AssetChanged} unless something newer was applied already. */
    void apply(EventEnvelope envelope, AssetChanged event) {
        String order = String.format("%013d#%s", envelope.time().toEpochMilli(), envelope.id());
        var item = ServiceTable.item(pk(event.assetId()), SK);
        item.put(ServiceTable.GSI1_PK, s(LIST));
        item.put(ServiceTable.GSI1_SK, s(event.assetId()));
        item.put("assetId", s(event.assetId()));
        item.put("order", s(order));
        boolean deleted = event.change() == AssetChange.DELETED || event.after() == null;
        item.put("deleted", AttributeValue.fromBool(deleted));
        var facts = deleted ? event.before() : event.after();
        item.put("type", s(type(event.assetId(), facts)));
        Map<String, AttributeValue> tags = new HashMap<>();
        tags(facts).forEach((k, v) -> tags.put(k, s(v)));
        item.put("tags", AttributeValue.fromM(tags));
        try {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#o) OR #o < :o")
                    .expressionAttributeNames(Map.of("#o", "order"))
                    .expressionAttributeValues(Map.of(":o", s(order))));
        } catch (ConditionalCheckFailedException e) {
            log.debug("AssetChanged {} of {} is older than what is known; ignored", envelope.id(), event.assetId());
        }
    }

    /** Every asset known, deleted ones included. */
    List<Asset> all() {
        return table.listAll(ListQuery.of(LIST)).stream()
                .map(item -> new Asset(
                        Items.string(item, "assetId"),
                        Items.string(item, "type"),
                        Items.stringMap(item, "tags"),
                        deleted(item)))
                .toList();
    }

    private static boolean deleted(Map<String, AttributeValue> item) {
        var deleted = item.get("deleted");
        return deleted != null && Boolean.TRUE.equals(deleted.bool());
    }

    private static String type(String assetId, @Nullable Map<String, Object> facts) {
        if (facts != null && facts.get("type") instanceof String type) {
            return type;
        }
        return assetId.startsWith("aws:ec2:") ? "ec2" : "ebs";
    }

    private static Map<String, String> tags(@Nullable Map<String, Object> facts) {
        Map<String, String> tags = new HashMap<>();
        if (facts != null && facts.get("tags") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    tags.put(k.toString(), v.toString());
                }
            });
        }
        return tags;
    }

    private static String pk(String assetId) {
        return "POLICY-ASSET#" + assetId;
    }
}
