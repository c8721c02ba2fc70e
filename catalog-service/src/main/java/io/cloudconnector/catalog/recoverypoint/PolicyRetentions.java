package io.cloudconnector.catalog.recoverypoint;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The retention rules of each protection policy, as the background jobs announce them ({@code PolicyChanged},
 * {@code PolicyDeleted}): rows {@code POLICY#<id>}, each holding the newest version heard of. An older or repeated
 * event changes nothing, whatever order they arrive in; a deletion leaves a tombstone (its version is past every
 * change), so a change delivered late cannot bring the policy back.
 */
@Repository
class PolicyRetentions {

    private static final String SK = "POLICY";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    PolicyRetentions(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * What the catalog knows of a policy.
     *
     * @param rules its retention rules; null when it has none the catalog can apply (deleted, or not said)
     */
    record Known(String policyId, long version, boolean deleted, PolicyChanged.@Nullable Retention rules) {

        /** The rules its recovery points are expired by, or empty when the vault's apply to them. */
        Optional<PolicyChanged.Retention> applicable() {
            return deleted || rules == null || rules.isEmpty() ? Optional.empty() : Optional.of(rules);
        }
    }

    /** Keeps the change unless a newer version (or the deletion) is already known; whether it was kept. */
    boolean changed(PolicyChanged event) {
        Map<String, AttributeValue> item = ServiceTable.item(key(event.policyId()), SK);
        item.put("policyId", s(event.policyId()));
        item.put("version", n(event.version()));
        item.put("vaultId", s(event.vaultId()));
        item.put("deleted", AttributeValue.fromBool(false));
        var rules = event.retention();
        if (rules != null) {
            item.put("keepLast", n(rules.keepLast()));
            item.put("keepHourly", n(rules.keepHourly()));
            item.put("keepDaily", n(rules.keepDaily()));
            item.put("keepWeekly", n(rules.keepWeekly()));
            item.put("keepMonthly", n(rules.keepMonthly()));
            item.put("keepYearly", n(rules.keepYearly()));
        }
        return putIfNewer(item, event.version());
    }

    /** Leaves a tombstone unless a newer version is already known; whether it was kept. */
    boolean deleted(PolicyDeleted event) {
        Map<String, AttributeValue> item = ServiceTable.item(key(event.policyId()), SK);
        item.put("policyId", s(event.policyId()));
        item.put("version", n(event.version()));
        item.put("deleted", AttributeValue.fromBool(true));
        return putIfNewer(item, event.version());
    }

    Optional<Known> find(String policyId) {
        return table.get(key(policyId), SK).map(PolicyRetentions::fromItem);
    }

    private boolean putIfNewer(Map<String, AttributeValue> item, long version) {
        try {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #version < :version")
                    .expressionAttributeNames(Map.of("#pk", ServiceTable.PK, "#version", "version"))
                    .expressionAttributeValues(Map.of(":version", n(version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Known fromItem(Map<String, AttributeValue> item) {
        var tombstone = item.get("deleted");
        boolean deleted = tombstone != null && Boolean.TRUE.equals(tombstone.bool());
        PolicyChanged.Retention rules = null;
        if (!deleted && item.containsKey("keepLast")) {
            rules = new PolicyChanged.Retention(
                    count(item, "keepLast"),
                    count(item, "keepHourly"),
                    count(item, "keepDaily"),
                    count(item, "keepWeekly"),
                    count(item, "keepMonthly"),
                    count(item, "keepYearly"));
        }
        return new Known(Items.string(item, "policyId"), Items.number(item, "version"), deleted, rules);
    }

    private static int count(Map<String, AttributeValue> item, String name) {
        Long value = Items.optionalNumber(item, name);
        return value == null ? 0 : value.intValue();
    }

    private static String key(String policyId) {
        return "POLICY#" + policyId;
    }
}
