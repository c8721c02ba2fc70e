package io.cloudconnector.catalog.recoverypoint;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Recovery points in the catalog table: {@code RP#<id>}, listed under {@code gsi1pk = RP} by id (a ULID,
 * so newest first). Every write that changes whether a recovery point counts moves its vault's counters
 * in the same transaction, guarded by the point's own state, so duplicated or reordered events can
 * neither count a point twice nor miss it.
 */
@Repository
class RecoveryPointRepository {

    static final String LIST = "RP";
    private static final String SK = "RP";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final VaultRepository vaults;

    RecoveryPointRepository(DynamoDbClient dynamo, ServiceTable table, VaultRepository vaults) {
        this.dynamo = dynamo;
        this.table = table;
        this.vaults = vaults;
    }

    /** Filters of the list; null means any. */
    record Filter(
            @Nullable String vaultId,
            @Nullable String assetId,
            @Nullable ScanStatus scanStatus,
            @Nullable Instant from,
            @Nullable Instant to) {}

    Page<RecoveryPoint> list(Filter filter, PageRequest page) {
        return table.list(query(filter), page).map(RecoveryPointRepository::fromItem);
    }

    /** Every recovery point of a vault that is not deleted, newest first. */
    List<RecoveryPoint> allOf(String vaultId) {
        return table.listAll(query(new Filter(vaultId, null, null, null, null))).stream()
                .map(RecoveryPointRepository::fromItem)
                .toList();
    }

    private static ListQuery query(Filter filter) {
        List<String> conditions = new ArrayList<>(List.of("#state <> :deleted"));
        Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":deleted", s(RecoveryPointState.DELETED.name())));
        condition(conditions, names, values, "vaultId", "=", filter.vaultId());
        condition(conditions, names, values, "assetId", "=", filter.assetId());
        condition(
                conditions,
                names,
                values,
                "scanStatus",
                "=",
                filter.scanStatus() == null ? null : filter.scanStatus().name());
        if (filter.from() != null) {
            names.put("#createdFrom", "createdAt");
            conditions.add("#createdFrom >= :from");
            values.put(":from", s(filter.from().toString()));
        }
        if (filter.to() != null) {
            names.put("#createdTo", "createdAt");
            conditions.add("#createdTo <= :to");
            values.put(":to", s(filter.to().toString()));
        }
        return ListQuery.of(LIST).where(String.join(" AND ", conditions), names, values);
    }

    Optional<RecoveryPoint> find(String id) {
        return table.get(key(id), SK)
                .filter(item -> item.containsKey("vaultId"))
                .map(RecoveryPointRepository::fromItem);
    }

    /**
     * Records a created recovery point and counts it in its vault, once. A point whose deletion arrived
     * first is recorded but not counted.
     *
     * @return whether this call counted it
     */
    boolean record(RecoveryPointCreated event) {
        Consumer<Map<String, AttributeValue>> fields = values -> {
            values.put(":vault", s(event.vaultId()));
            values.put(":asset", s(event.assetId()));
            values.put(":kind", s(WireNames.of(event.kind())));
            values.put(":created", s(event.createdAt().toString()));
            values.put(":logical", n(event.logicalBytes()));
            values.put(":stored", n(event.storedBytes()));
            values.put(":source", AttributeValue.fromM(strings(event.source())));
            values.put(":unscanned", s(ScanStatus.UNSCANNED.name()));
            values.put(":available", s(RecoveryPointState.AVAILABLE.name()));
            values.put(":id", s(event.recoveryPointId()));
            values.put(":list", s(LIST));
            values.put(":yes", AttributeValue.fromBool(true));
        };
        String set = "SET id = :id, vaultId = :vault, assetId = :asset, kind = :kind, createdAt = :created, "
                + "logicalBytes = :logical, storedBytes = :stored, #source = :source, gsi1pk = :list, gsi1sk = :id, "
                + "scanStatus = if_not_exists(scanStatus, :unscanned), #state = if_not_exists(#state, :available), "
                + "counted = :yes";
        Map<String, AttributeValue> values = new HashMap<>();
        fields.accept(values);
        if (event.parentRecoveryPointId() != null) {
            set += ", parentId = :parent";
            values.put(":parent", s(event.parentRecoveryPointId()));
        }
        if (event.jobId() != null) {
            set += ", jobId = :job";
            values.put(":job", s(event.jobId()));
        }
        String update = set;
        Map<String, String> names = Map.of("#state", "state", "#source", "source");
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder()
                            .update(u -> u.tableName(table.name())
                                    .key(primaryKey(event.recoveryPointId()))
                                    .updateExpression(update)
                                    .conditionExpression("attribute_not_exists(counted) AND "
                                            + "(attribute_not_exists(#state) OR #state = :available)")
                                    .expressionAttributeNames(names)
                                    .expressionAttributeValues(values))
                            .build(),
                    vaults.counterChange(event.vaultId(), 1, event.storedBytes())));
            return true;
        } catch (TransactionCanceledException e) {
            // Already counted (a duplicate), deleted before it was created, or a vault this catalog does not
            // know: record the fields all the same, without touching any counter.
            try {
                dynamo.updateItem(u -> u.tableName(table.name())
                        .key(primaryKey(event.recoveryPointId()))
                        .updateExpression(update)
                        .conditionExpression("attribute_not_exists(counted)")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
            } catch (ConditionalCheckFailedException duplicate) {
                // counted before: nothing to do
            }
            return false;
        }
    }

    /** Records a scan result, unless a later one was recorded already. */
    void recordScan(String id, ScanStatus status, String reportId, Instant scannedAt) {
        try {
            dynamo.updateItem(u -> u.tableName(table.name())
                    .key(primaryKey(id))
                    .updateExpression("SET scanStatus = :status, scanReportId = :report, scannedAt = :at")
                    .conditionExpression("attribute_not_exists(scannedAt) OR scannedAt <= :at")
                    .expressionAttributeValues(Map.of(
                            ":status", s(status.name()), ":report", s(reportId), ":at", s(scannedAt.toString()))));
        } catch (ConditionalCheckFailedException e) {
            // a later scan result is already recorded
        }
    }

    /** Records a restore test's result, unless a later test's was recorded already. */
    void recordRestoreTest(String id, RestoreTest test) {
        try {
            dynamo.updateItem(u -> u.tableName(table.name())
                    .key(primaryKey(id))
                    .updateExpression("SET lastRestoreTest = :test, restoreTestedAt = :at")
                    .conditionExpression("attribute_not_exists(restoreTestedAt) OR restoreTestedAt <= :at")
                    .expressionAttributeValues(Map.of(
                            ":test",
                            restoreTestItem(test),
                            ":at",
                            s(test.testedAt().toString()))));
        } catch (ConditionalCheckFailedException e) {
            // a later restore test is already recorded
        }
    }

    private static AttributeValue restoreTestItem(RestoreTest test) {
        return AttributeValue.fromM(Map.of(
                "passed",
                AttributeValue.fromBool(test.passed()),
                "testedAt",
                s(test.testedAt().toString()),
                "recoveryTimeSeconds",
                AttributeValue.fromN(Double.toString(test.recoveryTimeSeconds())),
                "reasons",
                AttributeValue.fromL(
                        test.reasons().stream().map(ServiceTable::s).toList()),
                "jobId",
                s(test.jobId())));
    }

    private static @Nullable RestoreTest restoreTest(Map<String, AttributeValue> item) {
        var value = item.get("lastRestoreTest");
        if (value == null || !value.hasM()) {
            return null;
        }
        var m = value.m();
        var passed = java.util.Objects.requireNonNull(m.get("passed"), "lastRestoreTest.passed");
        var reasons = java.util.Objects.requireNonNull(m.get("reasons"), "lastRestoreTest.reasons");
        var seconds = java.util.Objects.requireNonNull(m.get("recoveryTimeSeconds"), "lastRestoreTest.recoveryTime");
        return new RestoreTest(
                Boolean.TRUE.equals(passed.bool()),
                Items.instant(m, "testedAt"),
                Double.parseDouble(seconds.n()),
                reasons.l().stream().map(AttributeValue::s).toList(),
                Items.string(m, "jobId"));
    }

    /**
     * Moves an available (or, for deletion, expired) point to {@code to}; an available one stops counting
     * in its vault. Returns whether it moved.
     */
    boolean transition(String id, String vaultId, RecoveryPointState to, Instant at) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder()
                            .update(u -> u.tableName(table.name())
                                    .key(primaryKey(id))
                                    .updateExpression("SET #state = :to, stateChangedAt = :at")
                                    .conditionExpression("#state = :available AND counted = :yes")
                                    .expressionAttributeNames(Map.of("#state", "state"))
                                    .expressionAttributeValues(Map.of(
                                            ":to",
                                            s(to.name()),
                                            ":at",
                                            s(at.toString()),
                                            ":available",
                                            s(RecoveryPointState.AVAILABLE.name()),
                                            ":yes",
                                            AttributeValue.fromBool(true))))
                            .build(),
                    vaults.counterChange(vaultId, -1, 0)));
            return true;
        } catch (TransactionCanceledException e) {
            if (to != RecoveryPointState.DELETED) {
                return false;
            }
            // An expired point (no longer counted), or one whose creation has not arrived yet.
            try {
                dynamo.updateItem(u -> u.tableName(table.name())
                        .key(primaryKey(id))
                        .updateExpression("SET #state = :to, stateChangedAt = :at")
                        .conditionExpression("attribute_not_exists(#state) OR #state = :expired OR "
                                + "(#state = :available AND attribute_not_exists(counted))")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(
                                ":to",
                                s(to.name()),
                                ":at",
                                s(at.toString()),
                                ":expired",
                                s(RecoveryPointState.EXPIRED.name()),
                                ":available",
                                s(RecoveryPointState.AVAILABLE.name()))));
                return true;
            } catch (ConditionalCheckFailedException alreadyDeleted) {
                return false;
            }
        }
    }

    /**
     * Writes what a vault's manifest says of a point (a rebuild), keeping its scan result and state.
     *
     * @return whether the row was missing or differed
     */
    boolean upsertFromManifest(RecoveryPoint point) {
        var existing = table.get(key(point.id()), SK)
                .filter(i -> i.containsKey("vaultId"))
                .map(RecoveryPointRepository::fromItem);
        if (existing.isPresent() && sameFacts(existing.get(), point)) {
            return false;
        }
        var item = toItem(point);
        existing.ifPresent(old -> {
            item.put("scanStatus", s(old.scanStatus().name()));
            if (old.scanReportId() != null) {
                item.put("scanReportId", s(old.scanReportId()));
            }
            item.put("state", s(old.state().name()));
            var test = old.lastRestoreTest();
            if (test != null) {
                item.put("lastRestoreTest", restoreTestItem(test));
                item.put("restoreTestedAt", s(test.testedAt().toString()));
            }
        });
        item.put("counted", AttributeValue.fromBool(true));
        table.put(item);
        return true;
    }

    /** Marks a row whose manifest is gone from the bucket as deleted. */
    void markMissing(String id, Instant at) {
        dynamo.updateItem(u -> u.tableName(table.name())
                .key(primaryKey(id))
                .updateExpression("SET #state = :deleted, stateChangedAt = :at")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(
                        Map.of(":deleted", s(RecoveryPointState.DELETED.name()), ":at", s(at.toString()))));
    }

    private static boolean sameFacts(RecoveryPoint a, RecoveryPoint b) {
        return a.vaultId().equals(b.vaultId())
                && a.assetId().equals(b.assetId())
                && a.kind() == b.kind()
                && a.createdAt().equals(b.createdAt())
                && java.util.Objects.equals(a.parentRecoveryPointId(), b.parentRecoveryPointId())
                && a.logicalBytes() == b.logicalBytes()
                && a.source().equals(b.source());
    }

    private static void condition(
            List<String> conditions,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            String attribute,
            String operator,
            @Nullable String value) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, s(value));
            conditions.add("#" + attribute + " " + operator + " :" + attribute);
        }
    }

    private static Map<String, AttributeValue> strings(Map<String, String> map) {
        Map<String, AttributeValue> values = new HashMap<>();
        map.forEach((k, v) -> values.put(k, s(v)));
        return values;
    }

    private static Map<String, AttributeValue> primaryKey(String id) {
        return Map.of(ServiceTable.PK, s(key(id)), ServiceTable.SK, s(SK));
    }

    private static String key(String id) {
        return "RP#" + id;
    }

    private static Map<String, AttributeValue> toItem(RecoveryPoint point) {
        var item = ServiceTable.item(key(point.id()), SK);
        item.put(ServiceTable.GSI1_PK, s(LIST));
        item.put(ServiceTable.GSI1_SK, s(point.id()));
        item.put("id", s(point.id()));
        item.put("vaultId", s(point.vaultId()));
        item.put("assetId", s(point.assetId()));
        item.put("kind", s(WireNames.of(point.kind())));
        item.put("createdAt", s(point.createdAt().toString()));
        if (point.parentRecoveryPointId() != null) {
            item.put("parentId", s(point.parentRecoveryPointId()));
        }
        item.put("logicalBytes", n(point.logicalBytes()));
        item.put("storedBytes", n(point.storedBytes()));
        if (point.jobId() != null) {
            item.put("jobId", s(point.jobId()));
        }
        item.put("source", AttributeValue.fromM(strings(point.source())));
        item.put("scanStatus", s(point.scanStatus().name()));
        item.put("state", s(point.state().name()));
        return item;
    }

    private static RecoveryPoint fromItem(Map<String, AttributeValue> item) {
        return new RecoveryPoint(
                Items.string(item, "id"),
                Items.string(item, "vaultId"),
                Items.string(item, "assetId"),
                WireNames.parse(RecoveryPointKind.class, Items.string(item, "kind")),
                Items.instant(item, "createdAt"),
                Items.optionalString(item, "parentId"),
                Items.number(item, "logicalBytes"),
                Items.number(item, "storedBytes"),
                Items.optionalString(item, "jobId"),
                Items.stringMap(item, "source"),
                Items.enumValue(item, "scanStatus", ScanStatus.class),
                Items.optionalString(item, "scanReportId"),
                Items.enumValue(item, "state", RecoveryPointState.class),
                restoreTest(item));
    }
}
