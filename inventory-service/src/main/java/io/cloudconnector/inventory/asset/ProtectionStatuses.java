package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.ProtectionStatusChanged;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Keeps each asset's last published protection status and publishes {@code ProtectionStatusChanged} once per
 * change. On the asset item: {@code protectionStatus} (absent counts as {@code unprotected}, so an inventory
 * without policies publishes nothing), {@code coveredSince}, {@code newestScanVerdict}, and
 * {@code pendingStatusEvent}, the change written in the same conditional write as the new status (its outbox),
 * published right after and then removed; a pending change older than {@link #RELAY_AFTER} is claimed and
 * published by the periodic pass. Every write is conditional on {@code statusVersion}: a writer that lost a
 * race reads again and decides again, so two writers that see the same change write and publish it once.
 */
@Component
public class ProtectionStatuses {

    static final String STATUS = "protectionStatus";
    static final String COVERED_SINCE = "coveredSince";
    static final String SCAN_VERDICT = "newestScanVerdict";
    static final String STATUS_VERSION = "statusVersion";
    static final String PENDING = "pendingStatusEvent";
    static final Duration RELAY_AFTER = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(ProtectionStatuses.class);
    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Policies policies;
    private final EventPublisher publisher;
    private final Clock clock;

    ProtectionStatuses(
            DynamoDbClient dynamo, ServiceTable table, Policies policies, EventPublisher publisher, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.policies = policies;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** The asset's protection as the API shows it, from its item. */
    static AssetProtection view(Map<String, AttributeValue> item, List<CoveringPolicy> policies, Instant now) {
        AssetRecord record = AssetItems.record(item).orElseThrow();
        return ProtectionRules.evaluate(
                record.facts(),
                AssetItems.protection(item),
                Items.optionalString(item, SCAN_VERDICT),
                millis(item, COVERED_SINCE),
                policies,
                now);
    }

    /** After a recovery-point event of the asset: its newest scan verdict recomputed, and its status settled. */
    public void recoveryPointsChanged(String assetId) {
        settle(assetId, null, policies.live(), true);
    }

    /**
     * After changes of assets' facts (tags, state), with the policies read once. One failing asset does not stop the
     * others; the periodic pass settles it later.
     */
    public void assetsChanged(List<String> assetIds) {
        if (assetIds.isEmpty()) {
            return;
        }
        List<CoveringPolicy> live = policies.live();
        if (live.isEmpty()) {
            // Nothing covers them; a status left from a deleted policy was settled by that deletion's pass.
            return;
        }
        for (String assetId : assetIds) {
            try {
                settle(assetId, null, live, false);
            } catch (RuntimeException e) {
                log.warn("Could not settle the protection status of {}: {}", assetId, e.toString());
            }
        }
    }

    /**
     * Every asset's status settled against the policies and the clock (time alone makes a recovery point too old),
     * and the changes their writers left unpublished relayed. Returns how many statuses changed.
     */
    public int pass() {
        List<CoveringPolicy> live = policies.live();
        var request = QueryRequest.builder()
                .tableName(table.name())
                .indexName(ServiceTable.GSI1)
                .keyConditionExpression("#p = :p")
                .expressionAttributeNames(Map.of("#p", ServiceTable.GSI1_PK))
                .expressionAttributeValues(Map.of(":p", ServiceTable.s(AssetItems.LIST)))
                .build();
        int changed = 0;
        for (var item : dynamo.queryPaginator(request).items()) {
            try {
                relayIfAbandoned(item);
                if (settle(Items.string(item, AssetItems.ID), item, live, false)) {
                    changed++;
                }
            } catch (RuntimeException e) {
                log.warn("Could not settle the protection status of {}: {}", item.get(AssetItems.ID), e.toString());
            }
        }
        return changed;
    }

    /**
     * Writes what changed (status, coverage time, scan verdict) conditionally on the status version, and
     * publishes a status change; {@code true} if the status changed. {@code assumed} is the item as last read
     * (possibly stale, from the index), or null to read it.
     */
    private boolean settle(
            String assetId,
            @Nullable Map<String, AttributeValue> assumed,
            List<CoveringPolicy> live,
            boolean recomputeVerdict) {
        Map<String, AttributeValue> item = assumed;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (item == null) {
                item = table.get(AssetItems.pk(assetId), AssetItems.SK).orElse(Map.of());
            }
            long version = Optional.ofNullable(Items.optionalNumber(item, STATUS_VERSION))
                    .orElse(0L);
            Map<String, @Nullable AttributeValue> updates = new HashMap<>();
            Map<String, AttributeValue> current = new HashMap<>(item);
            if (recomputeVerdict) {
                String verdict = newestScanVerdict(assetId);
                if (!java.util.Objects.equals(verdict, Items.optionalString(item, SCAN_VERDICT))) {
                    updates.put(SCAN_VERDICT, verdict == null ? null : ServiceTable.s(verdict));
                    if (verdict == null) {
                        current.remove(SCAN_VERDICT);
                    } else {
                        current.put(SCAN_VERDICT, ServiceTable.s(verdict));
                    }
                }
            }
            ProtectionStatusChanged change = null;
            String pendingId = UUID.randomUUID().toString();
            if (AssetItems.record(current).isPresent()) {
                Instant now = clock.instant();
                AssetProtection protection = view(current, live, now);
                boolean covered = !protection.policyIds().isEmpty();
                if (covered && !current.containsKey(COVERED_SINCE)) {
                    updates.put(COVERED_SINCE, ServiceTable.n(now.toEpochMilli()));
                } else if (!covered && current.containsKey(COVERED_SINCE)) {
                    updates.put(COVERED_SINCE, null);
                }
                String before = Optional.ofNullable(Items.optionalString(current, STATUS))
                        .orElse(AssetProtection.UNPROTECTED);
                if (!before.equals(protection.status())) {
                    change = new ProtectionStatusChanged(
                            assetId, before, protection.status(), protection.policyIds(), protection.reasons());
                    updates.put(STATUS, ServiceTable.s(protection.status()));
                    updates.put(PENDING, pending(change, pendingId, now));
                }
            }
            if (updates.isEmpty()) {
                return false;
            }
            var update = Updates.of(updates).onlyIfVersion(STATUS_VERSION, version);
            Map<String, String> names = new HashMap<>(update.names());
            Map<String, AttributeValue> values = new HashMap<>(update.values());
            names.put("#sv", STATUS_VERSION);
            values.put(":next", ServiceTable.n(version + 1));
            String expression = update.expression().startsWith("SET ")
                    ? "SET #sv = :next, " + update.expression().substring("SET ".length())
                    : "SET #sv = :next " + update.expression();
            try {
                dynamo.updateItem(b -> b.tableName(table.name())
                        .key(AssetItems.key(assetId))
                        .updateExpression(expression)
                        .conditionExpression(update.condition())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
            } catch (ConditionalCheckFailedException e) {
                item = null;
                continue;
            }
            if (change != null) {
                publishAndRemove(assetId, change, pendingId);
                return true;
            }
            return false;
        }
        throw new IllegalStateException(
                "Protection status of asset " + assetId + " changed under " + MAX_ATTEMPTS + " attempts to settle it");
    }

    private void relayIfAbandoned(Map<String, AttributeValue> item) {
        AttributeValue pending = item.get(PENDING);
        if (pending == null || !pending.hasM()) {
            return;
        }
        Map<String, AttributeValue> m = pending.m();
        Instant now = clock.instant();
        if (!Instant.ofEpochMilli(Items.number(m, "at")).isBefore(now.minus(RELAY_AFTER))) {
            return;
        }
        String assetId = Items.string(item, AssetItems.ID);
        try {
            // Claimed by moving its time: of two replicas relaying at once, one publishes.
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(AssetItems.key(assetId))
                    .updateExpression("SET #p.#at = :now")
                    .conditionExpression("#p.#id = :id AND #p.#at = :at")
                    .expressionAttributeNames(Map.of("#p", PENDING, "#at", "at", "#id", "id"))
                    .expressionAttributeValues(Map.of(
                            ":now", ServiceTable.n(now.toEpochMilli()), ":id", m.get("id"), ":at", m.get("at"))));
        } catch (ConditionalCheckFailedException e) {
            return;
        }
        var change = new ProtectionStatusChanged(
                assetId,
                Items.optionalString(m, "before"),
                Items.string(m, "after"),
                strings(m.get("policyIds")),
                strings(m.get("reasons")));
        publishAndRemove(assetId, change, Items.string(m, "id"));
        log.info("Relayed the protection status change of {} its writer had not published", assetId);
    }

    private void publishAndRemove(String assetId, ProtectionStatusChanged change, String pendingId) {
        try {
            publisher.publish(change, null);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not publish the protection status change of {} now; the next pass will: {}",
                    assetId,
                    e.toString());
            return;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(AssetItems.key(assetId))
                    .updateExpression("REMOVE #p")
                    .conditionExpression("#p.#id = :id")
                    .expressionAttributeNames(Map.of("#p", PENDING, "#id", "id"))
                    .expressionAttributeValues(Map.of(":id", ServiceTable.s(pendingId))));
        } catch (ConditionalCheckFailedException e) {
            // A newer change replaced it: that one is published by its own writer.
        }
    }

    /** The verdict of the newest live recovery point that has one (items {@code PROTECTION#<assetId>}). */
    private @Nullable String newestScanVerdict(String assetId) {
        var request = QueryRequest.builder()
                .tableName(table.name())
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :rp)")
                .expressionAttributeNames(Map.of("#pk", ServiceTable.PK, "#sk", ServiceTable.SK))
                .expressionAttributeValues(
                        Map.of(":pk", ServiceTable.s("PROTECTION#" + assetId), ":rp", ServiceTable.s("RP#")))
                .build();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(items::add);
        return newestScanVerdict(items);
    }

    static @Nullable String newestScanVerdict(List<Map<String, AttributeValue>> recoveryPoints) {
        return recoveryPoints.stream()
                .filter(i -> !i.containsKey("deleted") && i.containsKey("createdAt") && i.containsKey("verdict"))
                .max(Comparator.<Map<String, AttributeValue>>comparingLong(i -> Items.number(i, "createdAt"))
                        .thenComparing(i -> Items.string(i, ServiceTable.SK)))
                .map(i -> Items.string(i, "verdict"))
                .orElse(null);
    }

    private static AttributeValue pending(ProtectionStatusChanged change, String id, Instant at) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("id", ServiceTable.s(id));
        m.put("at", ServiceTable.n(at.toEpochMilli()));
        if (change.before() != null) {
            m.put("before", ServiceTable.s(change.before()));
        }
        m.put("after", ServiceTable.s(change.after()));
        m.put(
                "policyIds",
                AttributeValue.fromL(
                        change.policyIds().stream().map(ServiceTable::s).toList()));
        m.put(
                "reasons",
                AttributeValue.fromL(
                        change.reasons().stream().map(ServiceTable::s).toList()));
        return AttributeValue.fromM(m);
    }

    private static List<String> strings(@Nullable AttributeValue list) {
        return list == null || !list.hasL()
                ? List.of()
                : list.l().stream().map(AttributeValue::s).toList();
    }

    private static @Nullable Instant millis(Map<String, AttributeValue> item, String name) {
        Long value = Items.optionalNumber(item, name);
        return value == null ? null : Instant.ofEpochMilli(value);
    }
}
