package io.cloudconnector.backgroundjobs.recoverypoint;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.backgroundjobs.ebs.InstanceFacts;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.PageRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recovery points this service wrote: {@code pk = RP#<id>}, {@code sk = RP}, listed per vault and asset
 * under {@code gsi1pk = ASSETRP#<vaultId>#<assetId>} by id (a ULID: newest first), so the base of an
 * incremental is one query away. Volumes and instance metadata are stored as JSON.
 */
@Repository
public class RecoveryPointStore {

    private static final String SK = "RP";
    private static final String AVAILABLE = RecoveryPointStatus.AVAILABLE.name();
    private static final JsonMapper JSON = EventCodec.standardMapper();

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    RecoveryPointStore(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Records a point just written (a retried write of the same point changes nothing). */
    public void record(KnownRecoveryPoint point) {
        var item = ServiceTable.item(pk(point.id()), SK);
        item.put(ServiceTable.GSI1_PK, s(list(point.vaultId(), point.assetId())));
        item.put(ServiceTable.GSI1_SK, s(point.id()));
        item.put("recoveryPointId", s(point.id()));
        item.put("vaultId", s(point.vaultId()));
        item.put("assetId", s(point.assetId()));
        item.put("kind", s(point.kind().name()));
        item.put("createdAt", s(point.createdAt().toString()));
        if (point.parentId() != null) {
            item.put("parentId", s(point.parentId()));
        }
        item.put("jobId", s(point.jobId()));
        item.put("logicalBytes", n(point.logicalBytes()));
        item.put("volumes", s(JSON.writeValueAsString(point.volumes())));
        if (point.instance() != null) {
            item.put("instance", s(JSON.writeValueAsString(point.instance())));
        }
        item.put("state", s(point.status().name()));
        table.putIfAbsent(item);
    }

    /** A point by id. */
    public Optional<KnownRecoveryPoint> find(String id) {
        return table.get(pk(id), SK).map(RecoveryPointStore::fromItem);
    }

    /** The newest available point of an asset in a vault: the base of its next incremental backup. */
    public Optional<KnownRecoveryPoint> latestAvailable(String vaultId, String assetId) {
        var query = ListQuery.of(list(vaultId, assetId))
                .where("#state = :available", Map.of("#state", "state"), Map.of(":available", s(AVAILABLE)));
        return table.list(query, new PageRequest(1, null)).items().stream()
                .findFirst()
                .map(RecoveryPointStore::fromItem);
    }

    /** The other points of the asset in the vault that are still available, newest first. */
    List<KnownRecoveryPoint> availableOf(String vaultId, String assetId) {
        var query = ListQuery.of(list(vaultId, assetId))
                .where("#state = :available", Map.of("#state", "state"), Map.of(":available", s(AVAILABLE)));
        return table.listAll(query).stream().map(RecoveryPointStore::fromItem).toList();
    }

    /**
     * Moves a point forward to {@code to} (it stops being a restore source and an incremental base): available to
     * expired or deleted, expired to deleted. Never backwards, so a late expiry cannot undo a deletion.
     *
     * @return whether it moved
     */
    boolean markRemoved(String id, RecoveryPointStatus to) {
        if (to == RecoveryPointStatus.AVAILABLE) {
            throw new IllegalArgumentException("A recovery point never becomes available again");
        }
        String condition = to == RecoveryPointStatus.DELETED
                ? "attribute_exists(#pk) AND #state <> :to"
                : "attribute_exists(#pk) AND #state = :available";
        Map<String, AttributeValue> values = to == RecoveryPointStatus.DELETED
                ? Map.of(":to", s(to.name()))
                : Map.of(":to", s(to.name()), ":available", s(AVAILABLE));
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(Map.of(ServiceTable.PK, s(pk(id)), ServiceTable.SK, s(SK)))
                    .updateExpression("SET #state = :to")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#state", "state", "#pk", ServiceTable.PK))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static String pk(String id) {
        return "RP#" + id;
    }

    private static String list(String vaultId, String assetId) {
        return "ASSETRP#" + vaultId + "#" + assetId;
    }

    private static KnownRecoveryPoint fromItem(Map<String, AttributeValue> item) {
        List<BackedUpVolume> volumes =
                Arrays.asList(JSON.readValue(Items.string(item, "volumes"), BackedUpVolume[].class));
        String instance = Items.optionalString(item, "instance");
        return new KnownRecoveryPoint(
                Items.string(item, "recoveryPointId"),
                Items.string(item, "vaultId"),
                Items.string(item, "assetId"),
                Items.enumValue(item, "kind", RecoveryPointKind.class),
                Items.instant(item, "createdAt"),
                Items.optionalString(item, "parentId"),
                Items.string(item, "jobId"),
                Items.number(item, "logicalBytes"),
                volumes,
                instance == null ? null : JSON.readValue(instance, InstanceFacts.class),
                RecoveryPointStatus.valueOf(Items.string(item, "state")));
    }
}
