package io.cloudconnector.provisioner.server;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where workers find their vault's server: items {@code pk = scalez-server, sk = <server id>} in the vault's table
 * with {@code endpoint}, {@code token}, {@code state} ({@code running} takes sessions; {@code draining} does not),
 * {@code startedAt} and {@code expiresAt} (epoch seconds; renewed at every reconciliation, so a registration a dead
 * provisioner left is ignored once it expires). The engine's {@code ScalezServers.registeredIn} reads them.
 */
final class ServerRegistrations {

    static final String PK = "scalez-server";

    private final DynamoDbClient dynamo;

    ServerRegistrations(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    void register(String table, ServerRecord server, String state, Instant expiresAt) {
        if (server.endpoint() == null) {
            return;
        }
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        "pk", AttributeValue.fromS(PK),
                        "sk", AttributeValue.fromS(server.id()),
                        "endpoint", AttributeValue.fromS(server.endpoint()),
                        "token", AttributeValue.fromS(server.token()),
                        "state", AttributeValue.fromS(state),
                        "startedAt", AttributeValue.fromS(server.startedAt().toString()),
                        "expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())))));
    }

    void remove(String table, String serverId) {
        dynamo.deleteItem(b ->
                b.tableName(table).key(Map.of("pk", AttributeValue.fromS(PK), "sk", AttributeValue.fromS(serverId))));
    }
}
