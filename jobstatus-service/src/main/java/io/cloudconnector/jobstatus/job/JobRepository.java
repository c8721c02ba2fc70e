package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Jobs in the job-status table: item {@code pk = JOB#<id>}, {@code sk = JOB}, listed under
 * {@code gsi1pk = JOB} by id (a ULID, so newest first).
 */
@Repository
class JobRepository {

    static final String LIST = "JOB";
    private static final String SK = "JOB";

    private final ServiceTable table;

    JobRepository(ServiceTable table) {
        this.table = table;
    }

    Page<Job> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(JobRepository::fromItem);
    }

    Optional<Job> find(String id) {
        return table.get("JOB#" + id, SK).map(JobRepository::fromItem);
    }

    private static Job fromItem(Map<String, AttributeValue> item) {
        return new Job(
                Items.string(item, "id"),
                WireNames.parse(JobKind.class, Items.string(item, "kind")),
                Items.enumValue(item, "state", JobState.class),
                Items.optionalString(item, "vaultId"),
                Items.optionalString(item, "assetId"),
                Items.optionalString(item, "recoveryPointId"),
                Items.instant(item, "createdAt"),
                Items.optionalInstant(item, "startedAt"),
                Items.optionalInstant(item, "finishedAt"));
    }
}
