package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.inventory.asset.AssetType;
import io.cloudconnector.inventory.config.InventoryProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The periodic resync: a full sweep that repairs whatever events missed and marks vanished assets deleted.
 * Every replica checks often whether one is due; the first to find it due claims it with a conditional
 * write on {@code pk = LEASE#resync}, so the cluster resyncs about once per {@code inventory.resync-interval}
 * whatever the number of replicas. A sweep that runs twice anyway (clock skew) does no harm.
 */
@Component
class Resync {

    private static final Map<String, String> NAMES = Map.of("#pk", ServiceTable.PK, "#started", "startedAt");

    private final Discovery discovery;
    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Duration interval;
    private final Clock clock;

    Resync(
            Discovery discovery,
            DynamoDbClient dynamo,
            ServiceTable table,
            InventoryProperties properties,
            Clock clock) {
        this.discovery = discovery;
        this.dynamo = dynamo;
        this.table = table;
        this.interval = properties.resyncInterval();
        this.clock = clock;
    }

    /** How often a replica checks: often enough that the cluster's resyncs stay close to the interval. */
    static Duration checkEvery(Duration interval) {
        Duration tenth = interval.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : tenth;
    }

    /** Resyncs if no replica began one within the interval; {@code true} if this call did. */
    boolean runIfDue() {
        Instant now = clock.instant();
        var lease = ServiceTable.item("LEASE#resync", "LEASE");
        lease.put("startedAt", ServiceTable.n(now.toEpochMilli()));
        try {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(lease)
                    .conditionExpression("attribute_not_exists(#pk) OR #started <= :due")
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(
                            Map.of(":due", ServiceTable.n(now.minus(interval).toEpochMilli()))));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        runNow();
        return true;
    }

    /** A resync of every type, now. */
    Discovery.Result runNow() {
        return discovery.sweep(EnumSet.allOf(AssetType.class), null, (done, total) -> {});
    }
}
