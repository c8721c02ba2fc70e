package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * ScaleZ servers in the provisioner table: item {@code pk = SERVER#<id>}, {@code sk = SERVER}, listed
 * under {@code gsi1pk = SERVER} by start time, newest first.
 */
@Repository
class ScalezServerRepository {

    static final String LIST = "SERVER";

    private final ServiceTable table;

    ScalezServerRepository(ServiceTable table) {
        this.table = table;
    }

    Page<ScalezServer> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(ScalezServerRepository::fromItem);
    }

    private static ScalezServer fromItem(Map<String, AttributeValue> item) {
        return new ScalezServer(
                Items.string(item, "id"),
                Items.string(item, "vaultId"),
                Items.enumValue(item, "state", ServerState.class),
                Items.optionalString(item, "endpoint"),
                Items.enumValue(item, "capacityType", CapacityType.class),
                Items.instant(item, "startedAt"),
                Items.optionalInstant(item, "lastActivityAt"));
    }
}
