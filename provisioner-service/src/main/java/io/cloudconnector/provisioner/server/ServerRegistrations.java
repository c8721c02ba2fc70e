package io.cloudconnector.provisioner.server;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where workers find their vault's server: items {@code pk = scalez-server, sk = <server id>} in the vault's table
 * with {@code endpoint} ({@code https://}), {@code token}, {@code certificateSha256} (the SHA-256 of the server's TLS
 * certificate, which workers pin), {@code state} ({@code running} takes sessions; {@code draining} does not),
 * {@code startedAt} and {@code expiresAt} (epoch seconds; renewed at every reconciliation, so a registration a dead
 * provisioner left is ignored once it expires). The engine's {@code ScalezServers.registeredIn} reads them.
 *
 * <p>The fingerprint comes from the server: {@code scalez serve --server-id} makes its key when it starts and puts
 * the fingerprint at {@code pk = scalez-server-certificate, sk = <server id>} in the same table; a server is
 * registered only once that is there.
 */
final class ServerRegistrations {

    static final String PK = "scalez-server";
    static final String CERTIFICATE_PK = "scalez-server-certificate";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final DynamoDbClient dynamo;

    ServerRegistrations(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    void register(String table, ServerRecord server, String state, Instant expiresAt) {
        if (server.endpoint() == null || server.certificateSha256() == null) {
            return;
        }
        var item = new HashMap<String, AttributeValue>();
        item.put("pk", AttributeValue.fromS(PK));
        item.put("sk", AttributeValue.fromS(server.id()));
        item.put("endpoint", AttributeValue.fromS(server.endpoint()));
        item.put("token", AttributeValue.fromS(server.token()));
        item.put("certificateSha256", AttributeValue.fromS(server.certificateSha256()));
        item.put("state", AttributeValue.fromS(state));
        item.put("startedAt", AttributeValue.fromS(server.startedAt().toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** The fingerprint the server published, if it has (and it is a SHA-256 in hex). */
    Optional<String> publishedCertificate(String table, String serverId) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key(CERTIFICATE_PK, serverId)))
                .item();
        return Optional.ofNullable(item == null ? null : item.get("certificateSha256"))
                .map(AttributeValue::s)
                .filter(Objects::nonNull)
                .map(value -> value.strip().toLowerCase(Locale.ROOT))
                .filter(value -> SHA256.matcher(value).matches());
    }

    void remove(String table, String serverId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(PK, serverId)));
        dynamo.deleteItem(b -> b.tableName(table).key(key(CERTIFICATE_PK, serverId)));
    }

    private static Map<String, AttributeValue> key(String pk, String serverId) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(serverId));
    }
}
