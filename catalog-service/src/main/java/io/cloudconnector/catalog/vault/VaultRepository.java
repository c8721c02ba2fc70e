package io.cloudconnector.catalog.vault;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.idempotency.Claim;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Vaults in the catalog table. Besides the vault item ({@code VAULT#<id>}), creating a vault claims its
 * name ({@code VAULTNAME#<lower-case name>}) and a slot of its region ({@code REGION#<region>}, a counter
 * capped at the per-region limit) in one transaction, so that two concurrent requests can never break
 * either rule; a failed or deleted vault gives both back.
 */
@Repository
public class VaultRepository {

    static final String LIST = "VAULT";
    private static final String SK = "VAULT";
    private static final String HOLDS_SLOT = "holdsRegionSlot";
    private static final String SCALEZ_CAPACITY = "scalezCapacity";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    VaultRepository(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A page of vaults, newest first; deleted ones are not listed. */
    Page<Vault> list(PageRequest page) {
        return table.list(
                        ListQuery.of(LIST)
                                .where(
                                        "#st <> :deleted",
                                        Map.of("#st", "status"),
                                        Map.of(":deleted", s(VaultStatus.DELETED.name()))),
                        page)
                .map(VaultRepository::fromItem);
    }

    /** Every vault in one of these states (for the reconciler and the retention sweep). */
    public List<Vault> inStatus(VaultStatus status) {
        return table
                .listAll(
                        ListQuery.of(LIST).where("#st = :st", Map.of("#st", "status"), Map.of(":st", s(status.name()))))
                .stream()
                .map(VaultRepository::fromItem)
                .toList();
    }

    /** The vault, unless it does not exist or was deleted. */
    public Optional<Vault> find(String id) {
        return table.get(key(id), SK).map(VaultRepository::fromItem).filter(v -> v.status() != VaultStatus.DELETED);
    }

    /**
     * Stores a new vault with its name claim, a region slot and (with a key) the idempotency record of the
     * request that created it, all or nothing.
     *
     * @throws ConflictException naming {@code name} when the name is taken, {@code region} when the region is full
     */
    void insert(Vault vault, int maxPerRegion, Claim idempotency, ResponseEntity<Vault> answer) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name()).item(toItem(vault)).conditionExpression("attribute_not_exists(pk)"))
                .build());
        var claim = ServiceTable.item(nameKey(vault.name()), "VAULTNAME");
        claim.put("vaultId", s(vault.id()));
        writes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name()).item(claim).conditionExpression("attribute_not_exists(pk)"))
                .build());
        writes.add(TransactWriteItem.builder()
                .update(regionSlot(vault.region(), 1)
                        .conditionExpression("attribute_not_exists(#count) OR #count < :max")
                        .expressionAttributeValues(Map.of(":delta", n(1), ":max", n(maxPerRegion)))
                        .build())
                .build());
        int keyWrite = idempotency.addTo(writes, answer);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            // First: a concurrent request with the same key (and so maybe the same name) wrote its vault.
            idempotency.checkCancelled(e, keyWrite);
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 1)) {
                throw new ConflictException("name", "A vault named '" + vault.name() + "' already exists");
            }
            if (failed(reasons, 2)) {
                throw new ConflictException(
                        "region",
                        "Region " + vault.region() + " already holds " + maxPerRegion
                                + " vaults, the most a region may hold");
            }
            throw e;
        }
    }

    /**
     * Takes a creating or deleting vault for this replica until {@code until}, if nobody holds it.
     *
     * @return whether this replica now owns the work
     */
    boolean claim(String id, VaultStatus expected, String owner, Instant now, Instant until) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(Map.of(ServiceTable.PK, s(key(id)), ServiceTable.SK, s(SK)))
                    .updateExpression("SET #owner = :owner, #until = :until")
                    .conditionExpression("#st = :expected AND (attribute_not_exists(#until) OR #until < :now)")
                    .expressionAttributeNames(Map.of("#owner", "leaseOwner", "#until", "leaseUntil", "#st", "status"))
                    .expressionAttributeValues(Map.of(
                            ":owner",
                            s(owner),
                            ":until",
                            n(until.toEpochMilli()),
                            ":now",
                            n(now.toEpochMilli()),
                            ":expected",
                            s(expected.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A created vault: active, with its bucket and key. */
    void markActive(String id, String bucketName, String kmsKeyArn, Instant now) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(primaryKey(id))
                .updateExpression("SET #st = :active, bucketName = :bucket, kmsKeyArn = :key, updatedAt = :now "
                        + "REMOVE leaseOwner, leaseUntil, statusReason")
                .conditionExpression("#st = :creating")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(
                        ":active",
                        s(VaultStatus.ACTIVE.name()),
                        ":bucket",
                        s(bucketName),
                        ":key",
                        s(kmsKeyArn),
                        ":now",
                        s(now.toString()),
                        ":creating",
                        s(VaultStatus.CREATING.name()))));
    }

    /** A vault whose creation failed and was rolled back: it gives back its name and its region slot. */
    void markFailed(Vault vault, String reason, Instant now) {
        release(vault, VaultStatus.CREATING, VaultStatus.FAILED, reason, now);
    }

    /** Starts deleting an active or failed vault that holds no recovery point. */
    boolean markDeleting(String id, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(primaryKey(id))
                    .updateExpression("SET #st = :deleting, updatedAt = :now REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("(#st = :active OR #st = :failed) AND "
                            + "(attribute_not_exists(recoveryPointCount) OR recoveryPointCount = :zero)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(
                            ":deleting",
                            s(VaultStatus.DELETING.name()),
                            ":active",
                            s(VaultStatus.ACTIVE.name()),
                            ":failed",
                            s(VaultStatus.FAILED.name()),
                            ":zero",
                            n(0),
                            ":now",
                            s(now.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Starts purging a vault, recovery points and data included: an active or failed vault, or one whose plain
     * deletion is under way (it becomes a purge).
     */
    boolean markPurging(String id, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(primaryKey(id))
                    .updateExpression(
                            "SET #st = :deleting, purge = :yes, updatedAt = :now REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("#st = :active OR #st = :failed OR #st = :deleting")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(
                            ":deleting",
                            s(VaultStatus.DELETING.name()),
                            ":active",
                            s(VaultStatus.ACTIVE.name()),
                            ":failed",
                            s(VaultStatus.FAILED.name()),
                            ":yes",
                            AttributeValue.fromBool(true),
                            ":now",
                            s(now.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Whether the vault's deletion is a purge (its recovery points and data go with it). */
    boolean purging(String id) {
        return table.get(key(id), SK)
                .map(item -> item.get("purge"))
                .map(value -> Boolean.TRUE.equals(value.bool()))
                .orElse(false);
    }

    /** A deleted vault: it gives back its name and (unless it had failed before) its region slot. */
    void markDeleted(Vault vault, Instant now) {
        release(vault, VaultStatus.DELETING, VaultStatus.DELETED, null, now);
    }

    /** A deletion that could not finish: the vault is kept, with the reason. */
    void markDeletionStuck(String id, String reason, Instant now) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(primaryKey(id))
                .updateExpression("SET statusReason = :reason, updatedAt = :now REMOVE leaseOwner, leaseUntil")
                .expressionAttributeValues(Map.of(":reason", s(reason), ":now", s(now.toString()))));
    }

    /** Sets the retention policy of an existing, not deleted vault. */
    Optional<Vault> setRetention(String id, RetentionSettings retention, Instant now) {
        var policy = Map.of(
                "keepLast",
                n(retention.keepLast()),
                "keepDaily",
                n(retention.keepDaily()),
                "keepWeekly",
                n(retention.keepWeekly()),
                "keepMonthly",
                n(retention.keepMonthly()),
                "keepYearly",
                n(retention.keepYearly()));
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table.name())
                    .key(primaryKey(id))
                    .updateExpression("SET retention = :r, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND #st <> :deleted AND #st <> :deleting")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(
                            ":r",
                            AttributeValue.fromM(policy),
                            ":now",
                            s(now.toString()),
                            ":deleted",
                            s(VaultStatus.DELETED.name()),
                            ":deleting",
                            s(VaultStatus.DELETING.name())))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW));
            return Optional.of(fromItem(updated.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Records what a vault's maintenance measured at {@code measuredAt}: the bytes its repository holds, and its
     * health (damaged when its check named damaged objects); a report older than the last one applied is ignored
     * (events arrive in any order).
     */
    boolean recordMaintenance(String id, long storedBytes, List<String> damage, Instant measuredAt) {
        var health = damage.isEmpty() ? VaultHealth.HEALTHY : VaultHealth.DAMAGED;
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(primaryKey(id))
                    .updateExpression("SET storedBytes = :bytes, storedBytesMeasuredAt = :at, updatedAt = :at, "
                            + "health = :health, damage = :damage, lastMaintainedAt = :at")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(storedBytesMeasuredAt) "
                            + "OR storedBytesMeasuredAt < :at)")
                    .expressionAttributeValues(Map.of(
                            ":bytes",
                            n(storedBytes),
                            ":at",
                            s(measuredAt.toString()),
                            ":health",
                            s(health.name()),
                            ":damage",
                            AttributeValue.fromL(
                                    damage.stream().map(AttributeValue::fromS).toList()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The write that moves a vault's counters, for callers that must change them in the same transaction
     * as their own items (so that a duplicated event can never count twice).
     */
    public TransactWriteItem counterChange(String vaultId, long recoveryPoints, long storedBytes) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(table.name())
                        .key(primaryKey(vaultId))
                        .updateExpression("ADD recoveryPointCount :count, storedBytes :bytes")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(Map.of(":count", n(recoveryPoints), ":bytes", n(storedBytes))))
                .build();
    }

    /** Sets a vault's counters to what a rebuild counted. */
    public void resetCounters(String vaultId, long recoveryPoints, long storedBytes, Instant now) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(primaryKey(vaultId))
                .updateExpression("SET recoveryPointCount = :count, storedBytes = :bytes, updatedAt = :now")
                .expressionAttributeValues(
                        Map.of(":count", n(recoveryPoints), ":bytes", n(storedBytes), ":now", s(now.toString()))));
    }

    private void release(Vault vault, VaultStatus from, VaultStatus to, @Nullable String reason, Instant now) {
        // A vault that failed gave its slot back then; a later deletion of it must not give it back twice.
        boolean holdsSlot = table.get(key(vault.id()), SK)
                .map(item -> item.containsKey(HOLDS_SLOT)
                        && Boolean.TRUE.equals(item.get(HOLDS_SLOT).bool()))
                .orElse(false);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":to",
                s(to.name()),
                ":from",
                s(from.name()),
                ":now",
                s(now.toString()),
                ":no",
                AttributeValue.fromBool(false)));
        String set = "SET #st = :to, updatedAt = :now, " + HOLDS_SLOT + " = :no";
        if (reason != null) {
            set += ", statusReason = :reason";
            values.put(":reason", s(reason));
        }
        String update = set + " REMOVE leaseOwner, leaseUntil";
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder()
                .update(u -> u.tableName(table.name())
                        .key(primaryKey(vault.id()))
                        .updateExpression(update)
                        .conditionExpression("#st = :from")
                        .expressionAttributeNames(Map.of("#st", "status"))
                        .expressionAttributeValues(values))
                .build());
        writes.add(TransactWriteItem.builder()
                .delete(d -> d.tableName(table.name())
                        .key(Map.of(ServiceTable.PK, s(nameKey(vault.name())), ServiceTable.SK, s("VAULTNAME")))
                        .conditionExpression("attribute_not_exists(pk) OR vaultId = :id")
                        .expressionAttributeValues(Map.of(":id", s(vault.id()))))
                .build());
        if (holdsSlot) {
            writes.add(TransactWriteItem.builder()
                    .update(regionSlot(vault.region(), -1)
                            .expressionAttributeValues(Map.of(":delta", n(-1)))
                            .build())
                    .build());
        }
        dynamo.transactWriteItems(b -> b.transactItems(writes));
    }

    private Update.Builder regionSlot(String region, int delta) {
        return Update.builder()
                .tableName(table.name())
                .key(Map.of(ServiceTable.PK, s("REGION#" + region), ServiceTable.SK, s("VAULTS")))
                .updateExpression("ADD #count :delta")
                .expressionAttributeNames(Map.of("#count", "vaultCount"));
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index
                && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static Map<String, AttributeValue> primaryKey(String id) {
        return Map.of(ServiceTable.PK, s(key(id)), ServiceTable.SK, s(SK));
    }

    private static String key(String id) {
        return "VAULT#" + id;
    }

    private static String nameKey(String name) {
        return "VAULTNAME#" + name.strip().toLowerCase(Locale.ROOT);
    }

    private static Map<String, AttributeValue> toItem(Vault vault) {
        var item = ServiceTable.item(key(vault.id()), SK);
        item.put(ServiceTable.GSI1_PK, s(LIST));
        item.put(ServiceTable.GSI1_SK, s(vault.id()));
        item.put("id", s(vault.id()));
        item.put("name", s(vault.name()));
        item.put("region", s(vault.region()));
        item.put("status", s(vault.status().name()));
        item.put("vpcId", s(vault.vpcId()));
        item.put(
                "subnetIds",
                AttributeValue.fromL(
                        vault.subnetIds().stream().map(ServiceTable::s).toList()));
        item.put("subnetKind", s(vault.subnetKind().name()));
        if (vault.objectLock() != null) {
            item.put("objectLockMode", s(vault.objectLock().mode().name()));
            item.put("objectLockDays", n(vault.objectLock().days()));
        }
        item.put(SCALEZ_CAPACITY, s(vault.scalezCapacity().name()));
        item.put(HOLDS_SLOT, AttributeValue.fromBool(true));
        item.put("recoveryPointCount", n(vault.recoveryPointCount()));
        item.put("storedBytes", n(vault.storedBytes()));
        item.put("creationJobId", s(vault.creationJobId()));
        item.put("createdAt", s(vault.createdAt().toString()));
        item.put("updatedAt", s(vault.updatedAt().toString()));
        return item;
    }

    static Vault fromItem(Map<String, AttributeValue> item) {
        String lockMode = Items.optionalString(item, "objectLockMode");
        // Vaults stored before the capacity could be chosen run on Fargate Spot.
        String capacity = Items.optionalString(item, SCALEZ_CAPACITY);
        var retention = item.get("retention");
        return new Vault(
                Items.string(item, "id"),
                Items.string(item, "name"),
                Items.string(item, "region"),
                Items.enumValue(item, "status", VaultStatus.class),
                Items.optionalString(item, "statusReason"),
                Items.string(item, "vpcId"),
                java.util.Objects.requireNonNull(item.get("subnetIds"), "subnetIds").l().stream()
                        .map(AttributeValue::s)
                        .toList(),
                Items.enumValue(item, "subnetKind", SubnetKind.class),
                lockMode == null
                        ? null
                        : new ObjectLock(ObjectLock.Mode.valueOf(lockMode), (int) Items.number(item, "objectLockDays")),
                capacity == null ? ScalezCapacity.FARGATE_SPOT : ScalezCapacity.valueOf(capacity),
                Items.optionalString(item, "bucketName"),
                Items.optionalString(item, "kmsKeyArn"),
                Items.number(item, "recoveryPointCount"),
                Items.number(item, "storedBytes"),
                retention == null
                        ? null
                        : new RetentionSettings(
                                (int) Items.number(retention.m(), "keepLast"),
                                (int) Items.number(retention.m(), "keepDaily"),
                                (int) Items.number(retention.m(), "keepWeekly"),
                                (int) Items.number(retention.m(), "keepMonthly"),
                                (int) Items.number(retention.m(), "keepYearly")),
                Items.string(item, "creationJobId"),
                Items.instant(item, "createdAt"),
                Items.instant(item, "updatedAt"),
                // Vaults no maintenance has reported on yet are unchecked.
                item.containsKey("health") ? Items.enumValue(item, "health", VaultHealth.class) : VaultHealth.UNCHECKED,
                item.containsKey("damage")
                        ? item.get("damage").l().stream().map(AttributeValue::s).toList()
                        : List.of(),
                item.containsKey("lastMaintainedAt") ? Items.instant(item, "lastMaintainedAt") : null);
    }
}
