package io.cloudconnector.backgroundjobs.vault;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The vaults in this service's table, {@code pk = VAULT#<id>}, {@code sk = VAULT}. Services never call each
 * other, so this is the catalog's vault list as its events told it. Events arrive at least once and in any
 * order: a deletion leaves a tombstone that a late creation does not overwrite (vault ids are never reused).
 */
@Repository
public class VaultDirectory {

    private static final String SK = "VAULT";
    private static final String ACTIVE = "ACTIVE";
    private static final String DELETED = "DELETED";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    VaultDirectory(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The vault, active or deleted, if this service has heard of it. */
    public Optional<Vault> find(String vaultId) {
        return table.get(pk(vaultId), SK).filter(item -> item.containsKey("bucketName")).map(VaultDirectory::fromItem);
    }

    void created(VaultCreated event, Instant at) {
        var item = ServiceTable.item(pk(event.vaultId()), SK);
        item.put("vaultId", s(event.vaultId()));
        item.put("name", s(event.name()));
        item.put("region", s(event.region()));
        item.put("bucketName", s(event.bucketName()));
        item.put("kmsKeyArn", s(event.kmsKeyArn()));
        item.put("state", s(ACTIVE));
        item.put("updatedAt", s(at.toString()));
        try {
            dynamo.putItem(b -> b.tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #state <> :deleted")
                    .expressionAttributeNames(Map.of("#pk", ServiceTable.PK, "#state", "state"))
                    .expressionAttributeValues(Map.of(":deleted", s(DELETED))));
        } catch (ConditionalCheckFailedException e) {
            // Deleted already: the creation arrived late.
        }
    }

    void deleted(String vaultId, Instant at) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(Map.of(ServiceTable.PK, s(pk(vaultId)), ServiceTable.SK, s(SK)))
                .updateExpression("SET #state = :deleted, vaultId = :id, updatedAt = :at")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":deleted", s(DELETED), ":id", s(vaultId), ":at", s(at.toString()))));
    }

    private static String pk(String vaultId) {
        return "VAULT#" + vaultId;
    }

    private static Vault fromItem(Map<String, AttributeValue> item) {
        return new Vault(Items.string(item, "vaultId"), Items.string(item, "name"), Items.string(item, "region"),
                Items.string(item, "bucketName"), Items.string(item, "kmsKeyArn"), ACTIVE.equals(Items.string(item, "state")));
    }
}
