package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Vaults in the catalog table: item {@code pk = VAULT#<id>}, {@code sk = VAULT}, listed under
 * {@code gsi1pk = VAULT} by id (a ULID, so newest first).
 */
@Repository
class VaultRepository {

    static final String LIST = "VAULT";
    private static final String SK = "VAULT";

    private final ServiceTable table;

    VaultRepository(ServiceTable table) {
        this.table = table;
    }

    Page<Vault> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(VaultRepository::fromItem);
    }

    Optional<Vault> find(String id) {
        return table.get("VAULT#" + id, SK).map(VaultRepository::fromItem);
    }

    private static Vault fromItem(Map<String, AttributeValue> item) {
        return new Vault(
                Items.string(item, "id"),
                Items.string(item, "name"),
                Items.string(item, "region"),
                Items.enumValue(item, "status", VaultStatus.class),
                Items.optionalString(item, "bucketName"),
                Items.optionalString(item, "kmsKeyArn"),
                Items.number(item, "recoveryPointCount"),
                Items.number(item, "storedBytes"),
                Items.instant(item, "createdAt"));
    }
}
