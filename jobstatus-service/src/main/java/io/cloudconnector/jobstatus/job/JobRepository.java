package io.cloudconnector.jobstatus.job;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.JobCounter;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Jobs in the job-status table: item {@code pk = JOB#<id>}, {@code sk = JOB}, listed under
 * {@code gsi1pk = JOB} by id (a ULID, so newest first) once their creation is known. Writes are
 * conditional on the {@code version} read, so two consumers applying events to one job at once cannot
 * overwrite each other.
 */
@Repository
class JobRepository {

    static final String LIST = "JOB";
    private static final String SK = "JOB";
    /** Items the list query reads per call: enough that a filtered page rarely needs a second call. */
    private static final int QUERY_BATCH = 200;
    /** At most this many jobs are read for one page, however selective the filter. */
    private static final int MAX_READ_PER_PAGE = 2_000;

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final JobsProperties properties;
    private final Clock clock;

    JobRepository(DynamoDbClient dynamo, ServiceTable table, JobsProperties properties, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.properties = properties;
        this.clock = clock;
    }

    /** The stored record, read consistently; created or not, expired or not. */
    Optional<JobRecord> find(String id) {
        return table.get(pk(id), SK).map(JobRepository::fromItem);
    }

    /**
     * Stores {@code record} if the stored one still has {@code expectedVersion} (0: none stored yet);
     * {@code false} if another writer came first.
     */
    boolean write(JobRecord record, long expectedVersion) {
        var item = toItem(record);
        try {
            if (expectedVersion == 0) {
                dynamo.putItem(b -> b.tableName(table.name())
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", ServiceTable.PK)));
            } else {
                dynamo.putItem(b -> b.tableName(table.name())
                        .item(item)
                        .conditionExpression("#version = :expected")
                        .expressionAttributeNames(Map.of("#version", "version"))
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * One page of the jobs that match {@code filter}, newest first. The creation-time range narrows the
     * key range of the query (ids are ULIDs); the other criteria filter what it reads, so a page is
     * collected over as many calls as it takes, and the page token is the last job returned.
     */
    Page<JobRecord> list(JobFilter filter) {
        Map<String, String> names = new HashMap<>(Map.of("#p", ServiceTable.GSI1_PK, "#x", ServiceTable.EXPIRES_AT));
        Map<String, AttributeValue> values =
                new HashMap<>(Map.of(":p", s(LIST), ":now", n(clock.instant().getEpochSecond())));
        String keyCondition = "#p = :p";
        if (filter.from() != null || filter.to() != null) {
            names.put("#s", ServiceTable.GSI1_SK);
            values.put(":lo", s(JobFilter.lowestIdAt(filter.from())));
            values.put(":hi", s(JobFilter.highestIdAt(filter.to())));
            keyCondition += " AND #s BETWEEN :lo AND :hi";
        }
        List<String> conditions = new ArrayList<>(List.of("(attribute_not_exists(#x) OR #x > :now)"));
        equalTo(
                conditions,
                names,
                values,
                "state",
                filter.state() == null ? null : filter.state().name());
        equalTo(
                conditions,
                names,
                values,
                "kind",
                filter.kind() == null ? null : filter.kind().wireName());
        equalTo(conditions, names, values, "vaultId", filter.vaultId());
        equalTo(conditions, names, values, "assetId", filter.assetId());
        equalTo(conditions, names, values, "policyId", filter.policyId());

        int limit = filter.page().limit();
        List<JobRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = filter.page().pageToken() == null
                ? null
                : listKey(JobFilter.pageTokenJobId(filter.page().pageToken()));
        int read = 0;
        while (found.size() < limit && read < MAX_READ_PER_PAGE) {
            var request = QueryRequest.builder()
                    .tableName(table.name())
                    .indexName(ServiceTable.GSI1)
                    .keyConditionExpression(keyCondition)
                    .filterExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(Math.max(QUERY_BATCH, limit - found.size()));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            var response = dynamo.query(request.build());
            response.items().forEach(item -> found.add(fromItem(item)));
            read += response.scannedCount() == null ? response.count() : response.scannedCount();
            start = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
            if (start == null) {
                break;
            }
        }
        if (found.size() > limit) {
            // The last query read past the page: the next one resumes after the last job returned.
            var page = found.subList(0, limit);
            return new Page<>(page, JobFilter.pageTokenOf(page.getLast().id()));
        }
        // A page may be short when a filter matched little of what one request may read; its token
        // resumes after the last job read, so that no request reads the whole table.
        return new Page<>(
                found, start == null ? null : JobFilter.pageTokenOf(Items.string(start, ServiceTable.GSI1_SK)));
    }

    private static void equalTo(
            List<String> conditions,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            String attribute,
            @Nullable String value) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, s(value));
            conditions.add("#" + attribute + " = :" + attribute);
        }
    }

    private static Map<String, AttributeValue> listKey(String id) {
        return Map.of(
                ServiceTable.PK,
                s(pk(id)),
                ServiceTable.SK,
                s(SK),
                ServiceTable.GSI1_PK,
                s(LIST),
                ServiceTable.GSI1_SK,
                s(id));
    }

    private static String pk(String id) {
        return "JOB#" + id;
    }

    Map<String, AttributeValue> toItem(JobRecord job) {
        var item = ServiceTable.item(pk(job.id()), SK);
        item.put("id", s(job.id()));
        item.put("state", s(job.state().name()));
        item.put("version", n(job.version()));
        if (job.created()) {
            // Only created jobs are listed: a job known only from later events has no kind to show yet.
            item.put(ServiceTable.GSI1_PK, s(LIST));
            item.put(ServiceTable.GSI1_SK, s(job.id()));
            item.put("kind", s(java.util.Objects.requireNonNull(job.kind()).wireName())); // created: has a kind
        }
        putString(item, "vaultId", job.vaultId());
        putString(item, "assetId", job.assetId());
        putString(item, "recoveryPointId", job.recoveryPointId());
        putString(item, "policyId", job.policyId());
        putString(item, "runId", job.runId());
        putString(item, "unitAtStart", job.unitAtStart());
        putTime(item, "createdAt", job.createdAt());
        putTime(item, "provisioningAt", job.provisioningAt());
        putTime(item, "startedAt", job.startedAt());
        putTime(item, "cancelRequestedAt", job.cancelRequestedAt());
        putTime(item, "updatedAt", job.updatedAt());
        if (job.bytesTotalAtStart() != null) {
            item.put("bytesTotalAtStart", n(job.bytesTotalAtStart()));
        }
        if (job.progress() != null) {
            item.put("progressSequence", n(job.progress().sequence()));
            item.put("bytesDone", n(job.progress().bytesDone()));
            item.put("bytesTotal", n(job.progress().bytesTotal()));
            putTime(item, "progressAt", job.progress().reportedAt());
            putString(item, "unit", job.progress().unit());
            var secondary = job.progress().secondary();
            if (secondary != null) {
                item.put(
                        "secondary",
                        AttributeValue.fromM(Map.of(
                                "unit", s(secondary.unit()),
                                "done", n(secondary.done()),
                                "total", n(secondary.total()))));
            }
        }
        if (job.outcome() != null) {
            putTime(item, "finishedAt", job.outcome().finishedAt());
            if (job.outcome().error() != null) {
                item.put("errorCode", s(job.outcome().error().code()));
                item.put("errorMessage", s(job.outcome().error().message()));
            }
            if (job.outcome().result() != null) {
                item.put("result", AttributeValue.fromM(resultMap(job.outcome().result())));
            }
        }
        if (!job.log().isEmpty()) {
            item.put(
                    "log",
                    AttributeValue.fromL(
                            job.log().stream().map(JobRepository::logItem).toList()));
        }
        Instant expiry = job.expiresAt(properties.retention());
        if (expiry != null) {
            item.put(ServiceTable.EXPIRES_AT, n(expiry.getEpochSecond()));
        }
        return item;
    }

    static JobRecord fromItem(Map<String, AttributeValue> item) {
        String kind = Items.optionalString(item, "kind");
        var progress = item.containsKey("progressSequence")
                ? new JobRecord.Progress(
                        Items.number(item, "progressSequence"),
                        Items.number(item, "bytesDone"),
                        Items.number(item, "bytesTotal"),
                        Items.instant(item, "progressAt"),
                        Items.optionalString(item, "unit"),
                        item.containsKey("secondary") && item.get("secondary").hasM()
                                ? new JobCounter(
                                        Items.string(item.get("secondary").m(), "unit"),
                                        Items.number(item.get("secondary").m(), "done"),
                                        Items.number(item.get("secondary").m(), "total"))
                                : null)
                : null;
        Instant finishedAt = Items.optionalInstant(item, "finishedAt");
        JobRecord.Outcome outcome = null;
        if (finishedAt != null) {
            String errorCode = Items.optionalString(item, "errorCode");
            var result = item.get("result");
            outcome = new JobRecord.Outcome(
                    Items.enumValue(item, "state", JobState.class),
                    finishedAt,
                    errorCode == null ? null : new JobError(errorCode, Items.string(item, "errorMessage")),
                    result == null || !result.hasM() ? null : result(result.m()));
        }
        var log = item.containsKey("log") && item.get("log").hasL()
                ? item.get("log").l().stream().map(entry -> logEntry(entry.m())).toList()
                : List.<JobLogEntry>of();
        return new JobRecord(
                Items.string(item, "id"),
                kind == null ? null : WireNames.parse(JobKind.class, kind),
                Items.optionalString(item, "vaultId"),
                Items.optionalString(item, "assetId"),
                Items.optionalString(item, "recoveryPointId"),
                Items.optionalString(item, "policyId"),
                Items.optionalString(item, "runId"),
                Items.optionalInstant(item, "createdAt"),
                Items.optionalInstant(item, "provisioningAt"),
                Items.optionalInstant(item, "startedAt"),
                Items.optionalNumber(item, "bytesTotalAtStart"),
                Items.optionalString(item, "unitAtStart"),
                progress,
                outcome,
                Items.optionalInstant(item, "cancelRequestedAt"),
                log,
                Items.number(item, "version"),
                Items.optionalInstant(item, "updatedAt"));
    }

    private static AttributeValue logItem(JobLogEntry entry) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("time", s(entry.time().toString()));
        map.put("type", s(entry.type()));
        if (entry.detail() != null) {
            map.put("detail", s(entry.detail()));
        }
        putPhase(map, entry);
        return AttributeValue.fromM(map);
    }

    /** A stored log entry (a phase's carries its name and duration). */
    private static JobLogEntry logEntry(Map<String, AttributeValue> entry) {
        return new JobLogEntry(
                Items.instant(entry, "time"),
                Items.string(entry, "type"),
                Items.optionalString(entry, "detail"),
                Items.optionalString(entry, "phase"),
                Items.optionalNumber(entry, "millis"));
    }

    private static void putPhase(Map<String, AttributeValue> map, JobLogEntry entry) {
        if (entry.phase() != null) {
            map.put("phase", s(entry.phase()));
        }
        if (entry.millis() != null) {
            map.put("millis", AttributeValue.fromN(Long.toString(entry.millis())));
        }
    }

    private static Map<String, AttributeValue> resultMap(JobResult result) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        putString(map, "recoveryPointId", result.recoveryPointId());
        putString(map, "snapshotId", result.snapshotId());
        putString(map, "volumeId", result.volumeId());
        putString(map, "instanceId", result.instanceId());
        putString(map, "reportId", result.reportId());
        putString(map, "verdict", result.verdict());
        // A vault-maintenance job's figures.
        putNumber(map, "bytesFreed", result.bytesFreed());
        putNumber(map, "packsDeleted", result.packsDeleted());
        putNumber(map, "packsRepacked", result.packsRepacked());
        putNumber(map, "recoveryPointsForgotten", result.recoveryPointsForgotten());
        putNumber(map, "checkedPacks", result.checkedPacks());
        if (result.damage() != null) {
            map.put(
                    "damage",
                    AttributeValue.fromL(
                            result.damage().stream().map(AttributeValue::fromS).toList()));
        }
        return map;
    }

    private static JobResult result(Map<String, AttributeValue> map) {
        Long bytesFreed = Items.optionalNumber(map, "bytesFreed");
        return new JobResult(
                Items.optionalString(map, "recoveryPointId"),
                Items.optionalString(map, "snapshotId"),
                Items.optionalString(map, "volumeId"),
                Items.optionalString(map, "instanceId"),
                Items.optionalString(map, "reportId"),
                Items.optionalString(map, "verdict"),
                bytesFreed,
                optionalInt(map, "packsDeleted"),
                optionalInt(map, "packsRepacked"),
                optionalInt(map, "recoveryPointsForgotten"),
                optionalInt(map, "checkedPacks"),
                map.containsKey("damage")
                        ? map.get("damage").l().stream().map(AttributeValue::s).toList()
                        : null);
    }

    private static @Nullable Integer optionalInt(Map<String, AttributeValue> map, String name) {
        Long value = Items.optionalNumber(map, name);
        return value == null ? null : Math.toIntExact(value);
    }

    private static void putNumber(Map<String, AttributeValue> item, String name, @Nullable Number value) {
        if (value != null) {
            item.put(name, AttributeValue.fromN(value.toString()));
        }
    }

    private static void putString(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static void putTime(Map<String, AttributeValue> item, String name, @Nullable Instant value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }
}
