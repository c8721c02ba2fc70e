package io.cloudconnector.backgroundjobs.job;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Job records in this service's table: {@code pk = JOB#<id>}, {@code sk = JOB}, listed under {@code gsi1pk =
 * BACKUP} or {@code RESTORE} by id (newest first). Every change of state is a conditional write, so two workers
 * (a worker thought dead and its replacement, two replicas reconciling) can never both run or both finish a job:
 * a run holds the job by its attempt number and a lease it renews. Unfinished jobs are also listed in the
 * partition {@code ACTIVEJOB} so that the reconciler finds them without reading finished ones.
 *
 * <p>It is longer than the usual 450 lines because every conditional write of a job item is here, so the conditions
 * that keep two workers from both running or finishing a job can be read together.
 */
@Repository
public class JobStore {

    private static final String SK = "JOB";
    private static final String ACTIVE = "ACTIVEJOB";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    JobStore(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A job by id. */
    public Optional<JobRecord> find(String jobId) {
        return table.get(pk(jobId), SK).map(JobStore::fromItem);
    }

    /** Stores a new queued job with its entry in {@code list}, for a request without an idempotency key. */
    void create(JobRecord job, String list) {
        create(
                job,
                list,
                io.cloudconnector.common.idempotency.Claim.none(),
                ResponseEntity.accepted().build());
    }

    /**
     * Stores a new queued job with its entry in {@code list} and, with a key, the idempotency record of the
     * request that made it, all or nothing.
     */
    void create(
            JobRecord job,
            String list,
            io.cloudconnector.common.idempotency.Claim idempotency,
            ResponseEntity<?> answer) {
        var item = ServiceTable.item(pk(job.id()), SK);
        item.put(ServiceTable.GSI1_PK, s(list));
        item.put(ServiceTable.GSI1_SK, s(job.id()));
        item.put("jobId", s(job.id()));
        item.put("kind", s(job.kind().name()));
        item.put("state", s(JobState.QUEUED.name()));
        item.put("vaultId", s(job.vaultId()));
        if (job.assetId() != null) {
            item.put("assetId", s(job.assetId()));
        }
        if (job.recoveryPointId() != null) {
            item.put("recoveryPointId", s(job.recoveryPointId()));
        }
        Map<String, AttributeValue> parameters = new HashMap<>();
        job.parameters().forEach((k, v) -> parameters.put(k, s(v)));
        item.put("parameters", AttributeValue.fromM(parameters));
        item.put("requestedAt", s(job.requestedAt().toString()));
        item.put("attempt", n(0));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name())
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", ServiceTable.PK)))
                .build());
        writes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name()).item(activeMarker(job.id())))
                .build());
        int keyWrite = idempotency.addTo(writes, answer);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            idempotency.checkCancelled(e, keyWrite);
            throw e;
        }
    }

    /** Removes a job that was never announced (its {@code JobCreated} could not be published). */
    void delete(String jobId) {
        table.delete(pk(jobId), SK);
        table.delete(ACTIVE, jobId);
    }

    /** What a claim found. */
    sealed interface Claim {
        /** This run holds the job now. */
        record Claimed(JobRecord job) implements Claim {}

        /** Another run holds it until its lease lapses. */
        record Held(Instant leaseUntil) implements Claim {}

        /** Nothing to run: finished, cancelled, out of attempts, or unknown. */
        record Nothing(@Nullable JobRecord job) implements Claim {}
    }

    /**
     * Starts a run: a queued job, or a running one whose run stopped renewing its lease (a dead worker), as long
     * as fewer than {@code maxAttempts} runs have started and nobody asked to cancel it.
     */
    Claim claim(String jobId, Instant now, Duration lease, int maxAttempts) {
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(jobId))
                    .updateExpression("SET #state = :running, attempt = attempt + :one, leaseUntil = :lease, "
                            + "startedAt = if_not_exists(startedAt, :now)")
                    .conditionExpression(
                            "attribute_exists(#pk) AND (#state = :queued OR (#state = :running AND leaseUntil < :nowMillis)) "
                                    + "AND attempt < :max AND (attribute_not_exists(cancelRequested) OR cancelRequested = :false)")
                    .expressionAttributeNames(Map.of("#state", "state", "#pk", ServiceTable.PK))
                    .expressionAttributeValues(Map.of(
                            ":running",
                            s(JobState.RUNNING.name()),
                            ":queued",
                            s(JobState.QUEUED.name()),
                            ":one",
                            n(1),
                            ":lease",
                            n(now.plus(lease).toEpochMilli()),
                            ":now",
                            s(now.toString()),
                            ":nowMillis",
                            n(now.toEpochMilli()),
                            ":max",
                            n(maxAttempts),
                            ":false",
                            AttributeValue.fromBool(false)))
                    .returnValues(ReturnValue.ALL_NEW));
            return new Claim.Claimed(fromItem(updated.attributes()));
        } catch (ConditionalCheckFailedException e) {
            var current = find(jobId).orElse(null);
            if (current != null
                    && current.state() == JobState.RUNNING
                    && current.leaseUntil() != null
                    && !current.leaseUntil().isBefore(now)
                    && !current.cancelRequested()) {
                return new Claim.Held(current.leaseUntil());
            }
            return new Claim.Nothing(current);
        }
    }

    /** Renews a run's lease; empty if the run no longer holds the job. The record tells whether to cancel. */
    Optional<JobRecord> renew(String jobId, int attempt, Instant now, Duration lease) {
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(jobId))
                    .updateExpression("SET leaseUntil = :lease")
                    .conditionExpression("#state = :running AND attempt = :attempt")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(
                            ":lease",
                            n(now.plus(lease).toEpochMilli()),
                            ":running",
                            s(JobState.RUNNING.name()),
                            ":attempt",
                            n(attempt)))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(fromItem(updated.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Ends a run with its outcome; false if the run no longer held the job (its outcome does not count). */
    boolean finish(
            String jobId,
            int attempt,
            JobState state,
            @Nullable JobResult result,
            @Nullable String errorCode,
            @Nullable String errorMessage,
            Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":state",
                s(state.name()),
                ":running",
                s(JobState.RUNNING.name()),
                ":attempt",
                n(attempt),
                ":now",
                s(now.toString())));
        var update = new StringBuilder("SET #state = :state, finishedAt = :now");
        if (result != null) {
            update.append(", #result = :result");
            values.put(":result", AttributeValue.fromM(resultItem(result)));
        }
        if (errorCode != null) {
            update.append(", errorCode = :code, errorMessage = :message");
            values.put(":code", s(errorCode));
            values.put(":message", s(errorMessage == null ? "" : errorMessage));
        }
        update.append(" REMOVE leaseUntil");
        return endIf(jobId, update.toString(), "#state = :running AND attempt = :attempt", values);
    }

    /**
     * Gives up a run's hold without ending the job: its lease lapses now, so the next launch (the requeue, the
     * reconciler) claims it as it would a dead worker's. False if the run no longer held the job.
     */
    boolean release(String jobId, int attempt, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(jobId))
                    .updateExpression("SET leaseUntil = :lapsed")
                    .conditionExpression("#state = :running AND attempt = :attempt")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(
                            ":lapsed",
                            n(now.toEpochMilli() - 1),
                            ":running",
                            s(JobState.RUNNING.name()),
                            ":attempt",
                            n(attempt))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Cancels a job no run has started; false if one has (or it ended). */
    boolean cancelQueued(String jobId, Instant now) {
        return endIf(
                jobId,
                "SET #state = :state, finishedAt = :now",
                "#state = :queued",
                Map.of(
                        ":state",
                        s(JobState.CANCELLED.name()),
                        ":queued",
                        s(JobState.QUEUED.name()),
                        ":now",
                        s(now.toString())));
    }

    /** Fails a job no live run holds (queued, or whose worker stopped renewing its lease). */
    boolean failUnheld(String jobId, String code, String message, Instant now) {
        return endIf(
                jobId,
                "SET #state = :state, finishedAt = :now, errorCode = :code, errorMessage = :message REMOVE leaseUntil",
                "#state = :queued OR (#state = :running AND leaseUntil < :nowMillis)",
                Map.of(
                        ":state",
                        s(JobState.FAILED.name()),
                        ":queued",
                        s(JobState.QUEUED.name()),
                        ":running",
                        s(JobState.RUNNING.name()),
                        ":now",
                        s(now.toString()),
                        ":nowMillis",
                        n(now.toEpochMilli()),
                        ":code",
                        s(code),
                        ":message",
                        s(message)));
    }

    private boolean endIf(String jobId, String update, String condition, Map<String, AttributeValue> values) {
        var write = TransactWriteItem.builder()
                .update(u -> u.tableName(table.name())
                        .key(key(jobId))
                        .updateExpression(update)
                        .conditionExpression(condition)
                        .expressionAttributeNames(
                                update.contains("#result")
                                        ? Map.of("#state", "state", "#result", "result")
                                        : Map.of("#state", "state"))
                        .expressionAttributeValues(values))
                .build();
        var unlist = TransactWriteItem.builder()
                .delete(d ->
                        d.tableName(table.name()).key(Map.of(ServiceTable.PK, s(ACTIVE), ServiceTable.SK, s(jobId))))
                .build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(write, unlist));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream()
                    .map(CancellationReason::code)
                    .anyMatch("ConditionalCheckFailed"::equals)) {
                return false;
            }
            throw e;
        }
    }

    /** Records that someone asked to cancel; empty if the job is unknown or has ended. */
    Optional<JobRecord> requestCancel(String jobId) {
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(jobId))
                    .updateExpression("SET cancelRequested = :true")
                    .conditionExpression("#state = :queued OR #state = :running")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(
                            ":true",
                            AttributeValue.fromBool(true),
                            ":queued",
                            s(JobState.QUEUED.name()),
                            ":running",
                            s(JobState.RUNNING.name())))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(fromItem(updated.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Records that the ScaleZ server {@code serverId} a run of this job wrote through stopped, so the job runs again;
     * empty when it was recorded already (a repeated request), or the job is unknown, ended or being cancelled.
     */
    Optional<JobRecord> requestRequeue(String jobId, String serverId) {
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table.name())
                    .key(key(jobId))
                    .updateExpression("ADD requeuedFor :servers")
                    .conditionExpression("attribute_exists(#pk) AND (#state = :queued OR #state = :running) "
                            + "AND NOT contains(requeuedFor, :server) "
                            + "AND (attribute_not_exists(cancelRequested) OR cancelRequested = :false)")
                    .expressionAttributeNames(Map.of("#state", "state", "#pk", ServiceTable.PK))
                    .expressionAttributeValues(Map.of(
                            ":servers",
                            AttributeValue.fromSs(List.of(serverId)),
                            ":server",
                            s(serverId),
                            ":queued",
                            s(JobState.QUEUED.name()),
                            ":running",
                            s(JobState.RUNNING.name()),
                            ":false",
                            AttributeValue.fromBool(false)))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(fromItem(updated.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Forgets a requeue request whose re-run could not be launched, so that its redelivery tries again. */
    void forgetRequeue(String jobId, String serverId) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(key(jobId))
                .updateExpression("DELETE requeuedFor :servers")
                .expressionAttributeValues(Map.of(":servers", AttributeValue.fromSs(List.of(serverId)))));
    }

    /** Remembers the Batch job of the latest submission. */
    void recordBatchJob(String jobId, String batchJobId) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(key(jobId))
                .updateExpression("SET batchJobId = :id")
                .expressionAttributeValues(Map.of(":id", s(batchJobId))));
    }

    /** The jobs that have not ended. */
    public List<JobRecord> unfinished() {
        List<JobRecord> jobs = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamo.query(b -> b.tableName(table.name())
                    .keyConditionExpression("#pk = :active")
                    .expressionAttributeNames(Map.of("#pk", ServiceTable.PK))
                    .expressionAttributeValues(Map.of(":active", s(ACTIVE)))
                    .exclusiveStartKey(from));
            for (var marker : page.items()) {
                String jobId = Items.string(marker, ServiceTable.SK);
                var job = find(jobId);
                if (job.isPresent() && !job.get().state().finished()) {
                    jobs.add(job.get());
                } else {
                    table.delete(ACTIVE, jobId);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return jobs;
    }

    private static Map<String, AttributeValue> activeMarker(String jobId) {
        return ServiceTable.item(ACTIVE, jobId);
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of(ServiceTable.PK, s(pk(jobId)), ServiceTable.SK, s(SK));
    }

    private static String pk(String jobId) {
        return "JOB#" + jobId;
    }

    private static Map<String, AttributeValue> resultItem(JobResult result) {
        Map<String, AttributeValue> map = new HashMap<>();
        if (result.recoveryPointId() != null) {
            map.put("recoveryPointId", s(result.recoveryPointId()));
        }
        if (result.snapshotId() != null) {
            map.put("snapshotId", s(result.snapshotId()));
        }
        if (result.volumeId() != null) {
            map.put("volumeId", s(result.volumeId()));
        }
        if (result.instanceId() != null) {
            map.put("instanceId", s(result.instanceId()));
        }
        // A vault-maintenance job's figures, as strings like the ids (the map is read back as strings).
        putFigure(map, "bytesFreed", result.bytesFreed());
        putFigure(map, "packsDeleted", result.packsDeleted());
        putFigure(map, "packsRepacked", result.packsRepacked());
        putFigure(map, "recoveryPointsForgotten", result.recoveryPointsForgotten());
        putFigure(map, "checkedPacks", result.checkedPacks());
        if (result.damage() != null) {
            map.put("damage", s(String.join("\n", result.damage())));
        }
        return map;
    }

    static JobRecord fromItem(Map<String, AttributeValue> item) {
        var result = Items.stringMap(item, "result");
        Long lease = Items.optionalNumber(item, "leaseUntil");
        var cancel = item.get("cancelRequested");
        return new JobRecord(
                Items.string(item, "jobId"),
                Items.enumValue(item, "kind", JobKind.class),
                Items.enumValue(item, "state", JobState.class),
                Items.string(item, "vaultId"),
                Items.optionalString(item, "assetId"),
                Items.optionalString(item, "recoveryPointId"),
                Items.stringMap(item, "parameters"),
                Items.instant(item, "requestedAt"),
                (int) Items.number(item, "attempt"),
                lease == null ? null : Instant.ofEpochMilli(lease),
                cancel != null && Boolean.TRUE.equals(cancel.bool()),
                Items.optionalString(item, "batchJobId"),
                item.containsKey("result") ? result(result) : null,
                Items.optionalString(item, "errorCode"),
                Items.optionalString(item, "errorMessage"));
    }

    private static JobResult result(Map<String, String> result) {
        String damage = result.get("damage");
        return new JobResult(
                result.get("recoveryPointId"),
                result.get("snapshotId"),
                result.get("volumeId"),
                result.get("instanceId"),
                null,
                null,
                figure(result, "bytesFreed"),
                intFigure(result, "packsDeleted"),
                intFigure(result, "packsRepacked"),
                intFigure(result, "recoveryPointsForgotten"),
                intFigure(result, "checkedPacks"),
                damage == null ? null : damage.isEmpty() ? List.of() : List.of(damage.split("\n")));
    }

    private static void putFigure(Map<String, AttributeValue> map, String name, @Nullable Number value) {
        if (value != null) {
            map.put(name, s(value.toString()));
        }
    }

    private static @Nullable Long figure(Map<String, String> result, String name) {
        String value = result.get(name);
        return value == null ? null : Long.valueOf(value);
    }

    private static @Nullable Integer intFigure(Map<String, String> result, String name) {
        String value = result.get(name);
        return value == null ? null : Integer.valueOf(value);
    }
}
