package io.cloudconnector.backgroundjobs.restore;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Restore requests: the restore jobs' records, listed under {@code gsi1pk = RESTORE} by job id (newest first). */
@Repository
class RestoreRequestRepository {

    static final String LIST = "RESTORE";

    private final ServiceTable table;

    RestoreRequestRepository(ServiceTable table) {
        this.table = table;
    }

    Page<RestoreRequest> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(RestoreRequestRepository::fromItem);
    }

    private static RestoreRequest fromItem(Map<String, AttributeValue> item) {
        var parameters = Items.stringMap(item, "parameters");
        String groups = parameters.get(RestoreService.SECURITY_GROUPS);
        return new RestoreRequest(
                Items.string(item, "jobId"),
                Items.string(item, "recoveryPointId"),
                Items.string(item, "vaultId"),
                Items.string(item, "assetId"),
                new RestoreTarget(
                                parameters.getOrDefault(RestoreService.TYPE, ""),
                                parameters.get(RestoreService.ZONE),
                                parameters.get(RestoreService.INSTANCE_TYPE),
                                parameters.get(RestoreService.SUBNET),
                                groups == null ? null : List.of(groups.split(",")),
                                parameters.get(RestoreService.KMS_KEY),
                                parameters.containsKey(RestoreService.NO_PUBLIC_IP) ? Boolean.TRUE : null,
                                parameters.containsKey(RestoreService.KEEP_IMAGE) ? Boolean.TRUE : null)
                        .withFilesOf(parameters),
                Items.instant(item, "requestedAt"));
    }
}
