package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The protection policies, kept from background-jobs' {@code PolicyChanged} and {@code PolicyDeleted}: items
 * {@code pk = POLICIES}, {@code sk = POLICY#<policyId>}, one partition (there are few policies; every read of
 * assets reads them all). Each write is conditional on a higher {@code version} than the item holds, so
 * duplicates and any order of delivery end with the newest version; a deletion stays as a tombstone with its
 * version, so an older {@code PolicyChanged} delivered late cannot bring the policy back.
 */
@Component
public class Policies {

    static final String PK = "POLICIES";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    Policies(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Stores the policy; {@code false} if the table already holds this version or a newer one (or its deletion). */
    public boolean changed(PolicyChanged event) {
        Map<String, AttributeValue> item = new HashMap<>(key(event.policyId()));
        item.put("version", ServiceTable.n(event.version()));
        item.put("intervalMinutes", ServiceTable.n(event.intervalMinutes()));
        item.put("paused", AttributeValue.fromBool(event.paused()));
        item.put("assetIds", strings(event.assetIds()));
        Map<String, AttributeValue> tags = new HashMap<>();
        event.tags().forEach((k, v) -> tags.put(k, ServiceTable.s(v)));
        item.put("tags", AttributeValue.fromM(tags));
        item.put("types", strings(event.types()));
        return putIfNewer(item, event.version());
    }

    /** Replaces the policy with a tombstone; {@code false} if the table already holds this version or a newer one. */
    public boolean deleted(PolicyDeleted event) {
        Map<String, AttributeValue> item = new HashMap<>(key(event.policyId()));
        item.put("version", ServiceTable.n(event.version()));
        item.put("deleted", AttributeValue.fromBool(true));
        return putIfNewer(item, event.version());
    }

    /** Every policy not deleted, paused ones included. */
    public List<CoveringPolicy> live() {
        var request = QueryRequest.builder()
                .tableName(table.name())
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", ServiceTable.PK))
                .expressionAttributeValues(Map.of(":pk", ServiceTable.s(PK)))
                .build();
        List<CoveringPolicy> policies = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(item -> {
            if (!item.containsKey("deleted")) {
                policies.add(policy(item));
            }
        });
        return policies;
    }

    private boolean putIfNewer(Map<String, AttributeValue> item, long version) {
        try {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", ServiceTable.n(version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static CoveringPolicy policy(Map<String, AttributeValue> item) {
        return new CoveringPolicy(
                Items.string(item, ServiceTable.SK).substring("POLICY#".length()),
                Items.number(item, "version"),
                Items.number(item, "intervalMinutes"),
                item.containsKey("paused")
                        && Boolean.TRUE.equals(item.get("paused").bool()),
                list(item, "assetIds"),
                Items.stringMap(item, "tags"),
                list(item, "types"));
    }

    private static List<String> list(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL()
                ? List.of()
                : value.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(ServiceTable::s).toList());
    }

    private static Map<String, AttributeValue> key(String policyId) {
        return Map.of(ServiceTable.PK, ServiceTable.s(PK), ServiceTable.SK, ServiceTable.s("POLICY#" + policyId));
    }
}
