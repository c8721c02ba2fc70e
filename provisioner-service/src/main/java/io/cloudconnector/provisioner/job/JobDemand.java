package io.cloudconnector.provisioner.job;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.resilience.Retries;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Demand per vault: job items {@code pk = JOB#<id>, sk = JOB} built from job events, which arrive at least once
 * and in any order. A job's {@code stage} only moves forward (1 created, 2 started, 3 finished) and what
 * {@code JobCreated} says (vault, kind) is kept whenever it arrives, so a late or repeated event never revives a
 * finished job. A job that needs a server (a backup: backups write through their vault's ScaleZ server) is listed
 * under {@code gsi1pk = ACTIVE#<vaultId>} until it finishes. Writes are optimistic (a {@code version} condition),
 * retried a bounded number of times.
 */
@Repository
public class JobDemand {

    static final int CREATED = 1;
    static final int STARTED = 2;
    static final int FINISHED = 3;
    private static final String SK = "JOB";
    private static final int ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
    private static final Duration LONGEST_BACKOFF = Duration.ofMillis(200);
    private static final Duration FINISHED_RETENTION = Duration.ofDays(7);
    private static final Set<JobKind> WRITE_THROUGH_SERVER = Set.of(JobKind.EBS_BACKUP, JobKind.EC2_BACKUP);

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Clock clock;

    JobDemand(DynamoDbClient dynamo, ServiceTable table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    void created(String jobId, JobKind kind, @Nullable String vaultId) {
        update(jobId, item -> {
            item.put("kind", ServiceTable.s(kind.wireName()));
            item.put("needsServer", AttributeValue.fromBool(WRITE_THROUGH_SERVER.contains(kind)));
            if (vaultId != null) {
                item.put("vaultId", ServiceTable.s(vaultId));
            }
            raiseStage(item, CREATED);
        });
    }

    void reached(String jobId, int stage) {
        update(jobId, item -> raiseStage(item, stage));
    }

    /** Marks that {@code JobProvisioning} was published for the job. */
    public void provisioningAnnounced(String jobId) {
        update(jobId, item -> item.put("announced", AttributeValue.fromBool(true)));
    }

    /** The vault's queued and running jobs that need its server. */
    public List<ActiveJob> active(String vaultId) {
        List<ActiveJob> jobs = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                    .tableName(table.name())
                    .indexName(ServiceTable.GSI1)
                    .keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", ServiceTable.GSI1_PK))
                    .expressionAttributeValues(Map.of(":p", ServiceTable.s(activeList(vaultId))))
                    .exclusiveStartKey(start)
                    .build();
            var response = dynamo.query(request);
            for (var item : response.items()) {
                jobs.add(new ActiveJob(
                        Items.string(item, "jobId"), vaultId, stage(item) >= STARTED, flag(item, "announced")));
            }
            start = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
        } while (start != null);
        return jobs;
    }

    private interface Change {
        void apply(Map<String, AttributeValue> item);
    }

    /**
     * Reads, changes and writes the job's item on condition that nobody wrote it meanwhile; when another event of
     * the same job won the write, reads again after a short jittered backoff ({@link Retries#retry}).
     */
    private void update(String jobId, Change change) {
        try {
            Retries.retry(
                    "job-demand",
                    ATTEMPTS,
                    FIRST_BACKOFF,
                    LONGEST_BACKOFF,
                    ConditionalCheckFailedException.class::isInstance,
                    () -> {
                        write(jobId, change);
                        return null;
                    });
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException(
                    "Job " + jobId + " kept changing under " + ATTEMPTS + " attempts to update it", e);
        }
    }

    private void write(String jobId, Change change) {
        var existing = table.get("JOB#" + jobId, SK);
        Map<String, AttributeValue> item =
                new HashMap<>(existing.orElseGet(() -> ServiceTable.item("JOB#" + jobId, SK)));
        long version = existing.isPresent() && item.containsKey("version")
                ? Long.parseLong(item.get("version").n())
                : 0;
        item.put("jobId", ServiceTable.s(jobId));
        change.apply(item);
        item.put("version", ServiceTable.n(version + 1));
        listIfActive(item);
        if (existing.isPresent()) {
            dynamo.putItem(b -> b.tableName(table.name())
                    .item(item)
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", ServiceTable.n(version))));
        } else if (!table.putIfAbsent(item)) {
            throw ConditionalCheckFailedException.builder()
                    .message("created meanwhile")
                    .build();
        }
    }

    private void listIfActive(Map<String, AttributeValue> item) {
        var vault = item.get("vaultId");
        if (vault != null && flag(item, "needsServer") && stage(item) < FINISHED) {
            item.put(ServiceTable.GSI1_PK, ServiceTable.s(activeList(vault.s())));
            item.put(ServiceTable.GSI1_SK, item.get("jobId"));
        } else {
            item.remove(ServiceTable.GSI1_PK);
            item.remove(ServiceTable.GSI1_SK);
        }
        if (stage(item) >= FINISHED) {
            item.put(
                    ServiceTable.EXPIRES_AT,
                    ServiceTable.n(clock.instant().plus(FINISHED_RETENTION).getEpochSecond()));
        }
    }

    private static void raiseStage(Map<String, AttributeValue> item, int stage) {
        item.put("stage", ServiceTable.n(Math.max(stage(item), stage)));
    }

    private static int stage(Map<String, AttributeValue> item) {
        var stage = item.get("stage");
        return stage == null ? 0 : Integer.parseInt(stage.n());
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    private static String activeList(String vaultId) {
        return "ACTIVE#" + vaultId;
    }
}
