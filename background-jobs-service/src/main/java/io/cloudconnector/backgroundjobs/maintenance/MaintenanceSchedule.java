package io.cloudconnector.backgroundjobs.maintenance;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.store.ServiceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * When each vault's maintenance is next due: item
 * {@code pk = MAINTENANCE#<vaultId>}, {@code sk = SCHEDULE}. Claims are conditional writes, so replicas that look at
 * once start one job.
 */
@Repository
class MaintenanceSchedule {

    private static final String SK = "SCHEDULE";
    private static final String NEXT = "nextRunAt";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    MaintenanceSchedule(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Claims the vault's scheduled run if it is due, moving the next one {@code interval} on. A vault seen for the
     * first time is due one interval later (a new vault has nothing to reclaim).
     *
     * @return whether this caller should start the run
     */
    boolean claimDue(String vaultId, Instant now, Duration interval) {
        var next = n(now.plus(interval).toEpochMilli());
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(vaultId))
                    .updateExpression("SET #next = :next")
                    .conditionExpression("attribute_not_exists(#next)")
                    .expressionAttributeNames(Map.of("#next", NEXT))
                    .expressionAttributeValues(Map.of(":next", next)));
            return false;
        } catch (ConditionalCheckFailedException scheduledBefore) {
            // known vault: is its run due?
        }
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(vaultId))
                    .updateExpression("SET #next = :next")
                    .conditionExpression("#next <= :now")
                    .expressionAttributeNames(Map.of("#next", NEXT))
                    .expressionAttributeValues(Map.of(":next", next, ":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException notDue) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String vaultId) {
        return Map.of(ServiceTable.PK, s(pk(vaultId)), ServiceTable.SK, s(SK));
    }

    private static String pk(String vaultId) {
        return "MAINTENANCE#" + vaultId;
    }
}
