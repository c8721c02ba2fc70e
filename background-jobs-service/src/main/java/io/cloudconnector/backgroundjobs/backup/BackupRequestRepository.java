package io.cloudconnector.backgroundjobs.backup;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Backup requests in the background-jobs table: the backup jobs' records, listed under {@code gsi1pk = BACKUP}
 * by job id (a ULID, so newest first).
 */
@Repository
class BackupRequestRepository {

    static final String LIST = "BACKUP";

    private final ServiceTable table;

    BackupRequestRepository(ServiceTable table) {
        this.table = table;
    }

    Page<BackupRequest> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(BackupRequestRepository::fromItem);
    }

    private static BackupRequest fromItem(Map<String, AttributeValue> item) {
        return new BackupRequest(
                Items.string(item, "jobId"),
                Items.string(item, "assetId"),
                Items.string(item, "vaultId"),
                Items.stringMap(item, "parameters").get(BackupService.SNAPSHOT_ID),
                Items.instant(item, "requestedAt"));
    }
}
