package io.cloudconnector.inventory.protection;

import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.inventory.asset.AssetProtection;
import io.cloudconnector.inventory.asset.AssetWriter;
import io.cloudconnector.inventory.asset.ProtectionSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * What the inventory knows of each asset's recovery points: item {@code pk = PROTECTION#<assetId>},
 * {@code sk = RP#<rpId>}, merged from whichever of created / scanned / restore-tested / deleted / expired arrives
 * first (a deletion
 * or an expiry is a tombstone, so a late "created" cannot bring a recovery point back). After each event the asset's
 * {@link ProtectionSummary} is recomputed from all its items and written with optimistic locking: a
 * recomputation that raced another one computes again, so the last write has seen every item.
 */
@Component
class RecoveryPoints {

    /** Longer than an event can wander (4 days in the inbox, 14 in its DLQ) before it is handled. */
    static final Duration TOMBSTONE_RETENTION = Duration.ofDays(30);

    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final AssetWriter assets;
    private final Clock clock;

    RecoveryPoints(DynamoDbClient dynamo, ServiceTable table, AssetWriter assets, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.assets = assets;
        this.clock = clock;
    }

    void created(RecoveryPointCreated event) {
        update(
                event.assetId(),
                event.recoveryPointId(),
                "SET #created = :created, #vault = :vault",
                Map.of("#created", "createdAt", "#vault", "vaultId"),
                Map.of(
                        ":created",
                        ServiceTable.n(event.createdAt().toEpochMilli()),
                        ":vault",
                        ServiceTable.s(event.vaultId())));
        recompute(event.assetId());
    }

    void deleted(RecoveryPointDeleted event) {
        removed(event.assetId(), event.recoveryPointId());
    }

    /** An expired point is no longer one to restore: it is folded in as a deletion (its data goes next). */
    void expired(RecoveryPointExpired event) {
        removed(event.assetId(), event.recoveryPointId());
    }

    private void removed(String assetId, String recoveryPointId) {
        update(
                assetId,
                recoveryPointId,
                "SET #deleted = :true, #expires = :expires",
                Map.of("#deleted", "deleted", "#expires", ServiceTable.EXPIRES_AT),
                Map.of(
                        ":true",
                        AttributeValue.fromBool(true),
                        ":expires",
                        ServiceTable.n(clock.instant().plus(TOMBSTONE_RETENTION).getEpochSecond())));
        recompute(assetId);
    }

    void scanned(RecoveryPointScanned event) {
        try {
            // A later report (ids sort by time) wins over an earlier one, whatever order they arrive in.
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(event.assetId(), event.recoveryPointId()))
                    .updateExpression("SET #verdict = :verdict, #report = :report")
                    .conditionExpression("attribute_not_exists(#report) OR #report <= :report")
                    .expressionAttributeNames(Map.of("#verdict", "verdict", "#report", "reportId"))
                    .expressionAttributeValues(Map.of(
                            ":verdict",
                            ServiceTable.s(event.verdict().wireName()),
                            ":report",
                            ServiceTable.s(event.reportId()))));
        } catch (ConditionalCheckFailedException e) {
            return;
        }
        recompute(event.assetId());
    }

    /** The newest restore test of a point wins (by {@code testedAt}, then job id), whatever order they arrive in. */
    void restoreTested(RecoveryPointRestoreTested event) {
        String order = String.format("%020d#%s", event.testedAt().toEpochMilli(), event.jobId());
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(event.assetId(), event.recoveryPointId()))
                    .updateExpression("SET #order = :order, #passed = :passed, #testedAt = :testedAt, #rto = :rto")
                    .conditionExpression("attribute_not_exists(#order) OR #order <= :order")
                    .expressionAttributeNames(Map.of(
                            "#order", "testOrder",
                            "#passed", "testPassed",
                            "#testedAt", "testedAt",
                            "#rto", "recoveryTimeSeconds"))
                    .expressionAttributeValues(Map.of(
                            ":order", ServiceTable.s(order),
                            ":passed", AttributeValue.fromBool(event.passed()),
                            ":testedAt", ServiceTable.n(event.testedAt().toEpochMilli()),
                            ":rto", ServiceTable.s(Double.toString(event.recoveryTimeSeconds())))));
        } catch (ConditionalCheckFailedException e) {
            return;
        }
        recompute(event.assetId());
    }

    private void update(
            String assetId,
            String recoveryPointId,
            String expression,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(key(assetId, recoveryPointId))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    private void recompute(String assetId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long version = assets.protectionVersion(assetId);
            if (assets.writeProtection(assetId, summarize(recoveryPoints(assetId)), version)) {
                return;
            }
        }
        throw new IllegalStateException(
                "Protection of asset " + assetId + " changed under " + MAX_ATTEMPTS + " attempts to recompute it");
    }

    private List<Map<String, AttributeValue>> recoveryPoints(String assetId) {
        var request = QueryRequest.builder()
                .tableName(table.name())
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :rp)")
                .expressionAttributeNames(Map.of("#pk", ServiceTable.PK, "#sk", ServiceTable.SK))
                .expressionAttributeValues(Map.of(":pk", ServiceTable.s(pk(assetId)), ":rp", ServiceTable.s("RP#")))
                .build();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(items::add);
        return items;
    }

    /**
     * The newest live recovery point, the newest live one scanned clean, and the newest live one whose newest restore
     * test passed.
     */
    static ProtectionSummary summarize(List<Map<String, AttributeValue>> items) {
        List<Point> live = items.stream()
                .filter(item -> !item.containsKey("deleted") && item.containsKey("createdAt"))
                .map(item -> new Point(
                        Items.string(item, ServiceTable.SK).substring("RP#".length()),
                        Instant.ofEpochMilli(Items.number(item, "createdAt")),
                        Items.optionalString(item, "verdict"),
                        tested(item)))
                .toList();
        Comparator<Point> newest = Comparator.comparing(Point::createdAt).thenComparing(Point::id);
        Optional<Point> last = live.stream().max(newest);
        Optional<Point> lastClean = live.stream()
                .filter(p -> ScanVerdict.CLEAN.wireName().equals(p.verdict()))
                .max(newest);
        Optional<Point> lastTested = live.stream().filter(p -> p.test() != null).max(newest);
        return new ProtectionSummary(
                last.map(Point::id).orElse(null),
                last.map(Point::createdAt).orElse(null),
                lastClean.map(Point::id).orElse(null),
                lastClean.map(Point::createdAt).orElse(null),
                lastTested
                        .map(p -> {
                            Test test = Objects.requireNonNull(p.test());
                            return new AssetProtection.TestedPoint(
                                    p.id(), p.createdAt(), test.testedAt(), test.recoveryTimeSeconds());
                        })
                        .orElse(null));
    }

    /** The point's newest restore test if it passed; null if it has none or it failed. */
    private static @Nullable Test tested(Map<String, AttributeValue> item) {
        AttributeValue passed = item.get("testPassed");
        if (passed == null || !Boolean.TRUE.equals(passed.bool())) {
            return null;
        }
        return new Test(
                Instant.ofEpochMilli(Items.number(item, "testedAt")),
                Double.parseDouble(Items.string(item, "recoveryTimeSeconds")));
    }

    private record Point(
            String id,
            Instant createdAt,
            @Nullable String verdict,
            @Nullable Test test) {}

    private record Test(Instant testedAt, double recoveryTimeSeconds) {}

    private static Map<String, AttributeValue> key(String assetId, String recoveryPointId) {
        return Map.of(
                ServiceTable.PK, ServiceTable.s(pk(assetId)), ServiceTable.SK, ServiceTable.s("RP#" + recoveryPointId));
    }

    private static String pk(String assetId) {
        return "PROTECTION#" + assetId;
    }
}
