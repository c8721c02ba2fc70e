package io.cloudconnector.common.vault;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The catalog's vaults as one consuming service learns them from {@code VaultCreated} and {@code VaultDeleted}
 * (services never call each other): one item per vault in the service's table, {@code pk = VAULT#<id>},
 * {@code sk = VAULT}, listed under {@code gsi1pk = VAULT} by id. Every consumer of the vault events keeps its
 * directory with this class; its inbox registers {@link #created} and {@link #deleted} as the handlers.
 *
 * <p>Events arrive at least once and in any order, so every write is conditional on the events' order, the
 * envelope's {@code time} then its {@code id} (a ULID): a {@code VaultCreated} writes the vault's description only
 * over an older one ({@code describedBy}), a {@code VaultDeleted} marks the vault deleted, a tombstone that no
 * later event revives ({@code deleted} is never set back; vault ids are never reused), and fills in nothing else.
 * A repeated event fails its condition and changes nothing; a deletion arriving before its creation leaves a
 * tombstone that the late creation describes but does not revive. Whatever the order and the repeats, the item
 * ends the same.
 *
 * <p>A service keeps its own data about a vault on the same item: attributes with a value for new vaults
 * ({@code initialAttributes}, set by whichever event writes the item first, e.g. integrity's {@code autoScan})
 * and attributes it changes itself with {@link #update}, which only touches a live vault. The directory's writes
 * never touch those attributes, nor the directory's the service's.
 */
public final class VaultDirectory {

    static final String KEY_PREFIX = "VAULT#";
    static final String SK = "VAULT";
    static final String LIST = "VAULT";
    static final String DELETED = "deleted";
    static final String DESCRIBED_AT = "describedAt";
    static final String DELETED_AT = "deletedAt";
    private static final String DESCRIBED_BY = "describedBy";
    private static final String DELETED_BY = "deletedBy";

    /** The attributes this class writes; a service's own attributes are any others. */
    private static final Set<String> OWN = Set.of(
            ServiceTable.PK,
            ServiceTable.SK,
            ServiceTable.GSI1_PK,
            ServiceTable.GSI1_SK,
            "id",
            "name",
            "region",
            "bucketName",
            "kmsKeyArn",
            DELETED,
            DESCRIBED_AT,
            DESCRIBED_BY,
            DELETED_AT,
            DELETED_BY);

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Map<String, AttributeValue> initialAttributes;

    /** A directory in {@code table} that keeps nothing of the service's own. */
    public VaultDirectory(DynamoDbClient dynamo, ServiceTable table) {
        this(dynamo, table, Map.of());
    }

    /** A directory in {@code table} whose new vaults get {@code initialAttributes} (the service's own data). */
    public VaultDirectory(DynamoDbClient dynamo, ServiceTable table, Map<String, AttributeValue> initialAttributes) {
        this.dynamo = dynamo;
        this.table = table;
        this.initialAttributes = Map.copyOf(serviceOwned(initialAttributes));
    }

    /** The partition key of a vault's item (a service may keep other items of the vault under it). */
    public static String key(String vaultId) {
        return KEY_PREFIX + vaultId;
    }

    /** Applies a {@code VaultCreated}: the vault's description, unless a newer one is there. */
    public void created(EventEnvelope envelope, VaultCreated event) {
        var names = new HashMap<String, String>();
        var values = new HashMap<String, AttributeValue>();
        var set = new StringBuilder();
        identity(event.vaultId(), names, values, set);
        assign("name", s(event.name()), names, values, set);
        assign("region", s(event.region()), names, values, set);
        assign("bucketName", s(event.bucketName()), names, values, set);
        assign("kmsKeyArn", s(event.kmsKeyArn()), names, values, set);
        assign(DESCRIBED_AT, s(envelope.time().toString()), names, values, set);
        assign(DESCRIBED_BY, s(order(envelope)), names, values, set);
        ifAbsent(DELETED, AttributeValue.fromBool(false), names, values, set);
        initialAttributes.forEach((name, value) -> ifAbsent(name, value, names, values, set));
        write(event.vaultId(), set, "attribute_not_exists(#describedBy) OR #describedBy < :describedBy", names, values);
    }

    /** Applies a {@code VaultDeleted}: the vault becomes a tombstone, which nothing revives. */
    public void deleted(EventEnvelope envelope, VaultDeleted event) {
        var names = new HashMap<String, String>();
        var values = new HashMap<String, AttributeValue>();
        var set = new StringBuilder();
        identity(event.vaultId(), names, values, set);
        assign(DELETED, AttributeValue.fromBool(true), names, values, set);
        assign(DELETED_AT, s(envelope.time().toString()), names, values, set);
        assign(DELETED_BY, s(order(envelope)), names, values, set);
        initialAttributes.forEach((name, value) -> ifAbsent(name, value, names, values, set));
        write(event.vaultId(), set, "attribute_not_exists(#deletedBy) OR #deletedBy < :deletedBy", names, values);
    }

    /** The vault, deleted or not, if any event about it arrived. */
    public Optional<VaultEntry> find(String vaultId) {
        return table.get(key(vaultId), SK).map(VaultEntry::of);
    }

    /** Every vault that is described and not deleted. */
    public List<VaultEntry> active() {
        return table.listAll(activeVaults()).stream()
                .map(VaultEntry::of)
                .filter(VaultEntry::active)
                .toList();
    }

    /** A page of the vaults that are not deleted. */
    public Page<VaultEntry> listActive(PageRequest page) {
        return table.list(activeVaults(), page).map(VaultEntry::of);
    }

    /**
     * Sets attributes of the service's own on a live vault; returns the vault as updated, or empty when the vault
     * is unknown, not yet described or deleted (a deleted vault is never brought back by a service's write).
     */
    public Optional<VaultEntry> update(String vaultId, Map<String, AttributeValue> attributes) {
        var names = new HashMap<String, String>(Map.of("#deleted", DELETED, "#describedBy", DESCRIBED_BY));
        // Placeholders named after the directory's attributes, which a service's attribute cannot be.
        var values = new HashMap<String, AttributeValue>(Map.of(":deleted", AttributeValue.fromBool(false)));
        var set = new StringBuilder();
        serviceOwned(attributes).forEach((name, value) -> assign(name, value, names, values, set));
        if (set.isEmpty()) {
            return find(vaultId).filter(VaultEntry::active);
        }
        try {
            var response = dynamo.updateItem(b -> b.tableName(table.name())
                    .key(keyOf(vaultId))
                    .updateExpression("SET " + set)
                    .conditionExpression("attribute_exists(#describedBy) AND #deleted = :deleted")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(VaultEntry.of(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private void write(
            String vaultId,
            StringBuilder set,
            String condition,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(keyOf(vaultId))
                    .updateExpression("SET " + set)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // This event, or a later one of its kind, was applied already: nothing to change.
        }
    }

    private static ListQuery activeVaults() {
        return ListQuery.of(LIST)
                .where(
                        "#deleted = :live",
                        Map.of("#deleted", DELETED),
                        Map.of(":live", AttributeValue.fromBool(false)));
    }

    /** The events' order: the envelope's time, then its id (a ULID); fixed width, so compared as strings. */
    static String order(EventEnvelope envelope) {
        return String.format("%015d:%s", envelope.time().toEpochMilli(), envelope.id());
    }

    private static Map<String, AttributeValue> keyOf(String vaultId) {
        return Map.of(ServiceTable.PK, s(key(vaultId)), ServiceTable.SK, s(SK));
    }

    private static void identity(
            String vaultId, Map<String, String> names, Map<String, AttributeValue> values, StringBuilder set) {
        assign("id", s(vaultId), names, values, set);
        assign(ServiceTable.GSI1_PK, s(LIST), names, values, set);
        assign(ServiceTable.GSI1_SK, s(vaultId), names, values, set);
    }

    /** Adds {@code name = value} to the update; the placeholders are the attribute's name. */
    private static void assign(
            String name,
            AttributeValue value,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            StringBuilder set) {
        names.put("#" + name, name);
        values.put(":" + name, value);
        separate(set).append('#').append(name).append(" = :").append(name);
    }

    private static void ifAbsent(
            String name,
            AttributeValue value,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            StringBuilder set) {
        names.put("#" + name, name);
        values.put(":" + name, value);
        separate(set)
                .append('#')
                .append(name)
                .append(" = if_not_exists(#")
                .append(name)
                .append(", :")
                .append(name)
                .append(')');
    }

    private static StringBuilder separate(StringBuilder set) {
        return set.isEmpty() ? set : set.append(", ");
    }

    private static Map<String, AttributeValue> serviceOwned(Map<String, AttributeValue> attributes) {
        var result = new LinkedHashMap<String, AttributeValue>();
        attributes.forEach((name, value) -> {
            if (OWN.contains(name) || !name.matches("[A-Za-z][A-Za-z0-9]*")) {
                throw new IllegalArgumentException(
                        "Attribute " + name + " is the vault directory's, or not a plain name");
            }
            result.put(name, value);
        });
        return result;
    }
}
