package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.idempotency.Claim;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Scan state in the integrity table: recovery points ({@code RP#<id>}, listed per vault and asset under
 * {@code gsi1pk = ASSET#<vaultId>#<assetId>} by id, so the previous one is the next lower id), jobs
 * ({@code JOB#<id>}).
 */
@Repository
class ScanStore {

    private static final String RP = "RP";
    private static final String JOB = "JOB";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    ScanStore(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    void saveRecoveryPoint(RecoveryPointRecord rp) {
        var item = ServiceTable.item("RP#" + rp.id(), RP);
        item.put(ServiceTable.GSI1_PK, ServiceTable.s(assetList(rp.vaultId(), rp.assetId())));
        item.put(ServiceTable.GSI1_SK, ServiceTable.s(rp.id()));
        item.put("id", ServiceTable.s(rp.id()));
        item.put("vaultId", ServiceTable.s(rp.vaultId()));
        item.put("assetId", ServiceTable.s(rp.assetId()));
        if (rp.parentRecoveryPointId() != null) {
            item.put("parentRecoveryPointId", ServiceTable.s(rp.parentRecoveryPointId()));
        }
        item.put("createdAt", ServiceTable.s(rp.createdAt().toString()));
        table.put(item);
    }

    Optional<RecoveryPointRecord> recoveryPoint(String id) {
        return table.get("RP#" + id, RP)
                .map(item -> new RecoveryPointRecord(
                        Items.string(item, "id"),
                        Items.string(item, "vaultId"),
                        Items.string(item, "assetId"),
                        Items.optionalString(item, "parentRecoveryPointId"),
                        Items.instant(item, "createdAt")));
    }

    /**
     * The asset's recovery point in the same vault made just before {@code rp} (ids are ULIDs of the creation
     * time), whatever order the events came in.
     */
    Optional<String> previous(RecoveryPointRecord rp) {
        var page = table.list(
                ListQuery.of(assetList(rp.vaultId(), rp.assetId())).between(null, rp.id()), new PageRequest(2, null));
        return page.items().stream()
                .map(item -> Items.string(item, "id"))
                .filter(id -> !id.equals(rp.id()))
                .findFirst();
    }

    private static String assetList(String vaultId, String assetId) {
        return "ASSET#" + vaultId + "#" + assetId;
    }

    /** Writes a new job; false if one with its id exists. */
    boolean createJob(ScanJob job) {
        return table.putIfAbsent(jobItem(job));
    }

    /** Stores a new job and, with a key, the idempotency record of the request that made it, all or nothing. */
    void createJob(ScanJob job, Claim idempotency, ResponseEntity<?> answer) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name())
                        .item(jobItem(job))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", ServiceTable.PK)))
                .build());
        int keyWrite = idempotency.addTo(writes, answer);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            idempotency.checkCancelled(e, keyWrite);
            throw e;
        }
    }

    void saveJob(ScanJob job) {
        table.put(jobItem(job));
    }

    private static Map<String, AttributeValue> jobItem(ScanJob job) {
        var item = ServiceTable.item("JOB#" + job.id(), JOB);
        item.put("id", ServiceTable.s(job.id()));
        item.put("recoveryPointId", ServiceTable.s(job.recoveryPointId()));
        item.put("vaultId", ServiceTable.s(job.vaultId()));
        item.put("assetId", ServiceTable.s(job.assetId()));
        if (job.previousRecoveryPointId() != null) {
            item.put("previousRecoveryPointId", ServiceTable.s(job.previousRecoveryPointId()));
        }
        item.put("reportId", ServiceTable.s(job.reportId()));
        item.put("state", ServiceTable.s(job.state().name()));
        item.put("mode", ServiceTable.s(job.mode().name()));
        if (job.batchJobId() != null) {
            item.put("batchJobId", ServiceTable.s(job.batchJobId()));
        }
        item.put("createdAt", ServiceTable.s(job.createdAt().toString()));
        return item;
    }

    Optional<ScanJob> job(String id) {
        return table.get("JOB#" + id, JOB)
                .map(item -> new ScanJob(
                        Items.string(item, "id"),
                        Items.string(item, "recoveryPointId"),
                        Items.string(item, "vaultId"),
                        Items.string(item, "assetId"),
                        Items.optionalString(item, "previousRecoveryPointId"),
                        Items.string(item, "reportId"),
                        Items.enumValue(item, "state", ScanJob.State.class),
                        Items.enumValue(item, "mode", ScanJob.Mode.class),
                        Items.optionalString(item, "batchJobId"),
                        Items.instant(item, "createdAt")));
    }
}
