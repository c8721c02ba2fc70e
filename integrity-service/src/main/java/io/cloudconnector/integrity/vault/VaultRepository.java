package io.cloudconnector.integrity.vault;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Vault items {@code VAULT#<id>}, listed under {@code gsi1pk = VAULT} by id. */
@Repository
public class VaultRepository {

    private static final String LIST = "VAULT";
    private static final String SK = "VAULT";

    private final ServiceTable table;

    VaultRepository(ServiceTable table) {
        this.table = table;
    }

    /** The vault, unless unknown; deleted vaults included. */
    public Optional<VaultRecord> find(String id) {
        return table.get("VAULT#" + id, SK).map(VaultRepository::fromItem);
    }

    /** Every vault that is not deleted. */
    public List<VaultRecord> active() {
        return table.listAll(ListQuery.of(LIST)).stream().map(VaultRepository::fromItem).filter(v -> !v.deleted()).toList();
    }

    Page<VaultRecord> list(PageRequest page) {
        return table.list(ListQuery.of(LIST).where("#deleted = :no", Map.of("#deleted", "deleted"),
                Map.of(":no", AttributeValue.fromBool(false))), page).map(VaultRepository::fromItem);
    }

    void save(VaultRecord vault) {
        var item = ServiceTable.item("VAULT#" + vault.id(), SK);
        item.put(ServiceTable.GSI1_PK, ServiceTable.s(LIST));
        item.put(ServiceTable.GSI1_SK, ServiceTable.s(vault.id()));
        item.put("id", ServiceTable.s(vault.id()));
        item.put("name", ServiceTable.s(vault.name()));
        item.put("region", ServiceTable.s(vault.region()));
        item.put("bucketName", ServiceTable.s(vault.bucketName()));
        item.put("kmsKeyArn", ServiceTable.s(vault.kmsKeyArn()));
        item.put("autoScan", AttributeValue.fromBool(vault.autoScan()));
        item.put("deleted", AttributeValue.fromBool(vault.deleted()));
        item.put("updatedAt", ServiceTable.s(vault.updatedAt().toString()));
        table.put(item);
    }

    private static VaultRecord fromItem(Map<String, AttributeValue> item) {
        return new VaultRecord(Items.string(item, "id"), Items.string(item, "name"), Items.string(item, "region"),
                Items.string(item, "bucketName"), Items.string(item, "kmsKeyArn"),
                Boolean.TRUE.equals(java.util.Objects.requireNonNull(item.get("autoScan"), "autoScan").bool()),
                Boolean.TRUE.equals(java.util.Objects.requireNonNull(item.get("deleted"), "deleted").bool()),
                Items.instant(item, "updatedAt"));
    }
}
