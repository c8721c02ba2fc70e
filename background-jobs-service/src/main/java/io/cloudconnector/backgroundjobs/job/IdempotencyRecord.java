package io.cloudconnector.backgroundjobs.job;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a POST with an {@code Idempotency-Key} did: the hash of its body and the job it created, kept for a day
 * (TTL), so that a retry gets the same job and a different body under the same key a 409. Keys are scoped by
 * operation: the same key may be used once for a backup and once for a restore.
 */
record IdempotencyRecord(String scope, String key, String requestHash, String jobId, Instant expiresAt) {

    static final String SK = "IDEMPOTENCY";

    static String pk(String scope, String key) {
        return "IDEMPOTENCY#" + scope + "#" + key;
    }

    Map<String, AttributeValue> toItem() {
        var item = ServiceTable.item(pk(scope, key), SK);
        item.put("scope", s(scope));
        item.put("key", s(key));
        item.put("requestHash", s(requestHash));
        item.put("jobId", s(jobId));
        var expires = ServiceTable.expiresAt(expiresAt);
        item.put(expires.getKey(), expires.getValue());
        return item;
    }

    static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        return new IdempotencyRecord(Items.string(item, "scope"), Items.string(item, "key"),
                Items.string(item, "requestHash"), Items.string(item, "jobId"),
                Instant.ofEpochSecond(Items.number(item, ServiceTable.EXPIRES_AT)));
    }
}
