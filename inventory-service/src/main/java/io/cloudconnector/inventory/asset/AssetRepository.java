package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Assets in the inventory table: item {@code pk = ASSET#<assetId>}, {@code sk = ASSET}, listed under
 * {@code gsi1pk = ASSET} by first-seen time, newest first.
 */
@Repository
class AssetRepository {

    static final String LIST = "ASSET";
    private static final String SK = "ASSET";

    private final ServiceTable table;

    AssetRepository(ServiceTable table) {
        this.table = table;
    }

    Page<Asset> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(AssetRepository::fromItem);
    }

    Optional<Asset> find(String id) {
        return table.get("ASSET#" + id, SK).map(AssetRepository::fromItem);
    }

    private static Asset fromItem(Map<String, AttributeValue> item) {
        return new Asset(
                Items.string(item, "id"),
                Items.enumValue(item, "type", AssetType.class),
                Items.string(item, "state"),
                Items.optionalString(item, "availabilityZone"),
                Items.optionalNumber(item, "sizeGiB"),
                Items.stringMap(item, "tags"),
                Items.instant(item, "firstSeen"),
                Items.instant(item, "lastSeen"));
    }
}
