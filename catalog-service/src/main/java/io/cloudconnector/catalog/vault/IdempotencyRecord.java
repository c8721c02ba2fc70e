package io.cloudconnector.catalog.vault;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a create request with an {@code Idempotency-Key} did: the hash of its body and the vault it made,
 * kept for a day (TTL), so that a retry gets the same answer and a different body under the same key a 409.
 */
record IdempotencyRecord(String key, String requestHash, String vaultId, Instant expiresAt) {

    static final String SK = "POST /v1/vaults";

    static String pk(String key) {
        return "IDEMPOTENCY#" + key;
    }

    Map<String, AttributeValue> toItem() {
        var item = ServiceTable.item(pk(key), SK);
        item.put("requestHash", s(requestHash));
        item.put("vaultId", s(vaultId));
        var expires = ServiceTable.expiresAt(expiresAt);
        item.put(expires.getKey(), expires.getValue());
        return item;
    }

    static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        return new IdempotencyRecord(Items.string(item, ServiceTable.PK).substring("IDEMPOTENCY#".length()),
                Items.string(item, "requestHash"), Items.string(item, "vaultId"),
                Instant.ofEpochSecond(Items.number(item, ServiceTable.EXPIRES_AT)));
    }
}
