package io.cloudconnector.provisioner.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Which provisioner replica manages a vault's servers: a lease item {@code pk = provisioner-lease,
 * sk = scalez-servers} in the vault's own DynamoDB table, written only with a condition (no lease, ours, or
 * expired). Only the holder starts or stops the vault's servers, so two replicas never start two; a crashed
 * replica's lease expires after {@code duration} and the next replica to look takes it over.
 */
final class VaultLeases {

    static final String PK = "provisioner-lease";
    static final String SK = "scalez-servers";

    private final DynamoDbClient dynamo;
    private final Duration duration;

    VaultLeases(DynamoDbClient dynamo, Duration duration) {
        this.dynamo = dynamo;
        this.duration = duration;
    }

    /** Takes or renews the lease on the vault whose table is {@code table} for {@code owner}; false if another holds it. */
    boolean acquire(String table, String owner, Instant now) {
        var until = now.plus(duration);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            "pk",
                            AttributeValue.fromS(PK),
                            "sk",
                            AttributeValue.fromS(SK),
                            "owner",
                            AttributeValue.fromS(owner),
                            "leaseUntil",
                            AttributeValue.fromN(Long.toString(until.toEpochMilli())),
                            // TTL removes a long-dead lease; it never decides anything (TTL deletes late).
                            "expiresAt",
                            AttributeValue.fromN(
                                    Long.toString(until.plus(Duration.ofDays(1)).getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(pk) OR #owner = :me OR #until < :now")
                    .expressionAttributeNames(Map.of("#owner", "owner", "#until", "leaseUntil"))
                    .expressionAttributeValues(Map.of(
                            ":me",
                            AttributeValue.fromS(owner),
                            ":now",
                            AttributeValue.fromN(Long.toString(now.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives the lease up if {@code owner} holds it (a vault with nothing to run). */
    void release(String table, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(PK), "sk", AttributeValue.fromS(SK)))
                    .conditionExpression("#owner = :me")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(owner))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours (any more): nothing to give up.
        }
    }
}
