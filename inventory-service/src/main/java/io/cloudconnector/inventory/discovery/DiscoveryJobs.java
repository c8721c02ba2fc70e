package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.ProgressUnits;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.inventory.asset.AssetType;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Discovery jobs ({@code POST /v1/assets:discover}): accepted with an id, announced with {@code JobCreated},
 * run one after another on this replica, reported with {@code JobStarted}, {@code JobProgressed} and
 * {@code JobSucceeded}/{@code JobFailed} for the job-status service.
 *
 * <p>Each job has an item ({@code pk = DISCOVERY#<jobId>}) with a heartbeat while it runs; a job whose replica
 * died is found by any replica's maintenance and failed ({@code interrupted}), so it never stays "running"
 * for ever. An {@code Idempotency-Key} is remembered for a day by common's {@link Idempotency} (operation
 * {@code discover}) with the answer and a hash of the request, in the same transaction as the job item: the same
 * key and request get the same answer, the same key with another request a 409.
 */
@Component
class DiscoveryJobs {

    /** The answer to {@code POST /v1/assets:discover}: the job to follow. */
    record DiscoveryStarted(String jobId) {}

    /** The operation an {@code Idempotency-Key} of {@code POST /v1/assets:discover} belongs to. */
    static final String OPERATION = "discover";

    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** Several missed heartbeats: the replica is gone, not just slow. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(3);

    static final Duration FINISHED_RETENTION = Duration.ofDays(30);
    static final String RUNNING = "DISCOVERY-RUNNING";
    private static final String JOB_SK = "JOB";
    private static final Logger log = LoggerFactory.getLogger(DiscoveryJobs.class);

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Discovery discovery;
    private final EventPublisher publisher;
    private final Idempotency idempotency;
    private final Clock clock;
    /** One sweep at a time per replica: each one is already parallel inside. */
    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("discovery-job").daemon().factory());

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("discovery-heartbeat").daemon().factory());
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();

    DiscoveryJobs(
            DynamoDbClient dynamo,
            ServiceTable table,
            Discovery discovery,
            EventPublisher publisher,
            Idempotency idempotency,
            Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.discovery = discovery;
        this.publisher = publisher;
        this.idempotency = idempotency;
        this.clock = clock;
        heartbeats.scheduleWithFixedDelay(this::beat, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Accepts a discovery of {@code types}: 202 with its job; with an idempotency key, at most once per key (the
     * same types in any order, or all of them named or left out, are the same request).
     */
    ResponseEntity<DiscoveryStarted> start(Set<AssetType> types, @Nullable String idempotencyKey) {
        return idempotency.respond(
                OPERATION, idempotencyKey, canonicalRequest(types), DiscoveryStarted.class, claim -> {
                    String jobId = Ids.job();
                    Instant now = clock.instant();
                    var answer = ResponseEntity.accepted()
                            .location(URI.create("/v1/jobs/" + jobId))
                            .body(new DiscoveryStarted(jobId));
                    List<TransactWriteItem> writes = new ArrayList<>();
                    writes.add(TransactWriteItem.builder()
                            .put(p -> p.tableName(table.name())
                                    .item(jobItem(jobId, types, now))
                                    .conditionExpression("attribute_not_exists(#pk)")
                                    .expressionAttributeNames(Map.of("#pk", ServiceTable.PK)))
                            .build());
                    int keyWrite = claim.addTo(writes, answer);
                    try {
                        dynamo.transactWriteItems(b -> b.transactItems(writes));
                    } catch (TransactionCanceledException e) {
                        // A request with the same key got in first, a moment ago: it is answered as that one was.
                        claim.checkCancelled(e, keyWrite);
                        throw e;
                    }
                    publisher.publish(new JobCreated(jobId, JobKind.DISCOVERY, null, null, null), jobId);
                    runner.execute(() -> run(jobId, types));
                    return answer;
                });
    }

    /** The request as its types, sorted: what an idempotency key's body hash is taken of. */
    static Map<String, List<String>> canonicalRequest(Set<AssetType> types) {
        return Map.of("types", types.stream().map(AssetType::wireName).sorted().toList());
    }

    /** Fails the jobs whose replica stopped sending heartbeats; returns how many. */
    int failAbandoned() {
        Instant now = clock.instant();
        int failed = 0;
        for (var item : table.listNewestFirst(RUNNING, io.cloudconnector.common.web.PageRequest.of(500, null))
                .items()) {
            long heartbeat = Items.number(item, "heartbeatAt");
            String jobId = Items.string(item, "jobId");
            if (heartbeat >= now.minus(ABANDONED_AFTER).toEpochMilli() || runningHere.contains(jobId)) {
                continue;
            }
            if (finish(jobId, "failed", heartbeat)) {
                // JobCreated again too: the replica may have died before announcing the job (consumers ignore
                // duplicates).
                publisher.publish(new JobCreated(jobId, JobKind.DISCOVERY, null, null, null), jobId);
                publisher.publish(
                        new JobFailed(
                                jobId,
                                "interrupted",
                                "The replica running this discovery stopped "
                                        + "before it finished; the periodic resync keeps the inventory current anyway"),
                        jobId);
                failed++;
            }
        }
        return failed;
    }

    private void run(String jobId, Set<AssetType> types) {
        runningHere.add(jobId);
        try {
            // Discovery has no bytes: the reporter's two counters count assets (observations applied / to apply).
            var reporter = new JobReporter(publisher, clock, jobId).unit(ProgressUnits.ASSETS);
            reporter.started();
            var result = discovery.sweep(types, jobId, reporter::progressed);
            reporter.finish();
            if (finish(jobId, "succeeded", null)) {
                reporter.succeeded(JobResult.none());
            }
            log.info("Discovery job {} succeeded: {}", jobId, result);
        } catch (RuntimeException e) {
            log.error("Discovery job {} failed", jobId, e);
            try {
                if (finish(jobId, "failed", null)) {
                    publisher.publish(
                            new JobFailed(jobId, "discovery-failed", "Discovery failed: " + e.getMessage()), jobId);
                }
            } catch (RuntimeException reportFailure) {
                log.error("Could not record the failure of discovery job {}", jobId, reportFailure);
            }
        } finally {
            runningHere.remove(jobId);
        }
    }

    /**
     * Moves a running job to {@code state} and off the running list; {@code false} if it was no longer
     * running (failed as abandoned meanwhile), or its heartbeat moved on (it is alive after all).
     */
    private boolean finish(String jobId, String state, @Nullable Long expectedHeartbeat) {
        Instant now = clock.instant();
        var names = new java.util.HashMap<>(Map.of(
                "#state",
                "state",
                "#finished",
                "finishedAt",
                "#expires",
                ServiceTable.EXPIRES_AT,
                "#gpk",
                ServiceTable.GSI1_PK,
                "#gsk",
                ServiceTable.GSI1_SK));
        var values = new java.util.HashMap<>(Map.of(
                ":new",
                ServiceTable.s(state),
                ":running",
                ServiceTable.s("running"),
                ":finished",
                ServiceTable.s(now.toString()),
                ":expires",
                ServiceTable.n(now.plus(FINISHED_RETENTION).getEpochSecond())));
        String condition = "#state = :running";
        if (expectedHeartbeat != null) {
            names.put("#hb", "heartbeatAt");
            values.put(":hb", ServiceTable.n(expectedHeartbeat));
            condition += " AND #hb = :hb";
        }
        String finalCondition = condition;
        try {
            dynamo.updateItem(b -> b.tableName(table.name())
                    .key(jobKey(jobId))
                    .updateExpression("SET #state = :new, #finished = :finished, #expires = :expires REMOVE #gpk, #gsk")
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void beat() {
        for (String jobId : runningHere) {
            try {
                dynamo.updateItem(b -> b.tableName(table.name())
                        .key(jobKey(jobId))
                        .updateExpression("SET #hb = :now")
                        .conditionExpression("#state = :running")
                        .expressionAttributeNames(Map.of("#hb", "heartbeatAt", "#state", "state"))
                        .expressionAttributeValues(
                                Map.of(":now", ServiceTable.n(clock.millis()), ":running", ServiceTable.s("running"))));
            } catch (ConditionalCheckFailedException e) {
                // It finished between the look at the running set and this write: nothing to keep alive.
            } catch (RuntimeException e) {
                log.warn("Could not record the heartbeat of discovery job {}: {}", jobId, e.toString());
            }
        }
    }

    private Map<String, AttributeValue> jobItem(String jobId, Set<AssetType> types, Instant now) {
        var item = ServiceTable.item("DISCOVERY#" + jobId, JOB_SK);
        item.put("jobId", ServiceTable.s(jobId));
        item.put("state", ServiceTable.s("running"));
        item.put(
                "types",
                ServiceTable.s(types.stream().map(AssetType::wireName).sorted().collect(Collectors.joining(","))));
        item.put("createdAt", ServiceTable.s(now.toString()));
        item.put("heartbeatAt", ServiceTable.n(now.toEpochMilli()));
        item.put(ServiceTable.GSI1_PK, ServiceTable.s(RUNNING));
        item.put(ServiceTable.GSI1_SK, ServiceTable.s(jobId));
        return item;
    }

    private static Map<String, AttributeValue> jobKey(String jobId) {
        return Map.of(ServiceTable.PK, ServiceTable.s("DISCOVERY#" + jobId), ServiceTable.SK, ServiceTable.s(JOB_SK));
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        runner.shutdownNow();
    }
}
