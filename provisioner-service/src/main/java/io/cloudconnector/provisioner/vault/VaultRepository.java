package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Vault items {@code pk = VAULT#<id>, sk = VAULT} in the provisioner table, listed under {@code gsi1pk = VAULT}. */
@Repository
public class VaultRepository {

    private static final String LIST = "VAULT";
    private static final String SK = "VAULT";

    private final ServiceTable table;

    VaultRepository(ServiceTable table) {
        this.table = table;
    }

    /** The vault, deleted or not, unless unknown. */
    public Optional<Vault> find(String id) {
        return table.get(key(id), SK).map(VaultRepository::fromItem);
    }

    /** Every vault that is not deleted. */
    public List<Vault> active() {
        return table.listAll(ListQuery.of(LIST)).stream().map(VaultRepository::fromItem).filter(v -> !v.deleted()).toList();
    }

    void save(Vault vault) {
        var item = ServiceTable.item(key(vault.id()), SK);
        item.put(ServiceTable.GSI1_PK, ServiceTable.s(LIST));
        item.put(ServiceTable.GSI1_SK, ServiceTable.s(vault.id()));
        item.put("id", ServiceTable.s(vault.id()));
        item.put("region", ServiceTable.s(vault.region()));
        item.put("bucketName", ServiceTable.s(vault.bucketName()));
        item.put("kmsKeyArn", ServiceTable.s(vault.kmsKeyArn()));
        item.put("deleted", AttributeValue.fromBool(vault.deleted()));
        table.put(item);
    }

    /** The partition key of a vault's item, which its servers share (see {@code ServerRepository}). */
    public static String key(String vaultId) {
        return "VAULT#" + vaultId;
    }

    private static Vault fromItem(Map<String, AttributeValue> item) {
        var deleted = item.get("deleted");
        return new Vault(Items.string(item, "id"), Items.string(item, "region"), Items.string(item, "bucketName"),
                Items.string(item, "kmsKeyArn"), deleted != null && Boolean.TRUE.equals(deleted.bool()));
    }
}
