package io.cloudconnector.scalez.serve;

import io.cloudconnector.scalez.remote.RemoteSession;
import io.cloudconnector.scalez.remote.RemoteWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where backups find their vault's ScaleZ server: the registrations the provisioner writes into the vault's
 * DynamoDB table, items {@code pk = scalez-server}, {@code sk = <server id>} with {@code endpoint} ({@code https://}),
 * {@code token}, {@code certificateSha256} (the SHA-256 of the server's certificate, which clients pin),
 * {@code state} ({@code starting}, {@code running}, {@code draining}), {@code startedAt} (ISO-8601) and
 * {@code expiresAt} (epoch seconds; the provisioner renews it while it runs the server). A registration without a
 * valid {@code certificateSha256} or with a plain-HTTP endpoint is ignored.
 *
 * <p>The provisioner learns a server's fingerprint from the server itself: {@code scalez serve --server-id} puts
 * {@link #publishCertificate it} into the same table, under {@code pk = scalez-server-certificate},
 * {@code sk = <server id>}, once it listens.
 *
 * <pre>{@code
 * var options = RepositoryOptions.defaults().withRemoteWriter(ScalezServers.registeredIn(dynamo, vaultTable));
 * Repository.open(store, credential, options).backupBlocks(source, backupOptions);
 * }</pre>
 */
public final class ScalezServers {

    /** The partition key value of server registrations in a vault's table. */
    public static final String PARTITION = "scalez-server";
    /** The partition key value of the certificates servers publish in a vault's table. */
    public static final String CERTIFICATE_PARTITION = "scalez-server-certificate";
    /** How long a published certificate item lives (DynamoDB TTL): the provisioner reads it within minutes. */
    private static final java.time.Duration CERTIFICATE_TTL = java.time.Duration.ofDays(7);
    /** The state of a registration that takes sessions. */
    public static final String RUNNING = "running";

    private static final System.Logger LOG = System.getLogger(ScalezServers.class.getName());

    private ScalezServers() {}

    /**
     * The server at a known endpoint (e.g. {@code scalez backup --server}), trusting only the certificate whose
     * SHA-256 is {@code certificateSha256}.
     */
    public static RemoteWriter at(URI endpoint, String token, String certificateSha256) {
        return ScalezServerClient.of(endpoint, token, certificateSha256);
    }

    /**
     * Publishes a server's certificate fingerprint in its vault's table ({@code pk = scalez-server-certificate},
     * {@code sk = serverId}), where the provisioner picks it up for the server's registration.
     */
    public static void publishCertificate(
            DynamoDbClient dynamo, String tableName, String serverId, String certificateSha256, Clock clock) {
        var now = clock.instant();
        dynamo.putItem(b -> b.tableName(tableName)
                .item(Map.of(
                        "pk", AttributeValue.fromS(CERTIFICATE_PARTITION),
                        "sk", AttributeValue.fromS(serverId),
                        "certificateSha256", AttributeValue.fromS(ServerCertificate.normalize(certificateSha256)),
                        "publishedAt", AttributeValue.fromS(now.toString()),
                        "expiresAt",
                                AttributeValue.fromN(
                                        Long.toString(now.plus(CERTIFICATE_TTL).getEpochSecond())))));
    }

    /**
     * The vault's server as registered in its table, looked up at each backup: the newest running, unexpired
     * registration that opens a session. Empty (the backup writes by itself) when none is registered, none answers,
     * or the table cannot be read.
     */
    public static RemoteWriter registeredIn(DynamoDbClient dynamo, String tableName) {
        return registeredIn(dynamo, tableName, Clock.systemUTC());
    }

    /** {@link #registeredIn(DynamoDbClient, String)} with a clock for the registrations' expiry. */
    public static RemoteWriter registeredIn(DynamoDbClient dynamo, String tableName, Clock clock) {
        return (repositoryId, purpose) -> {
            List<Registration> candidates;
            try {
                candidates = running(dynamo, tableName, clock.instant());
            } catch (SdkException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Cannot read ScaleZ server registrations in {0} ({1}); the" + " backup writes by itself",
                        tableName,
                        e.toString());
                return Optional.empty();
            }
            for (var candidate : candidates) {
                Optional<RemoteSession> session = at(
                                candidate.endpoint(), candidate.token(), candidate.certificateSha256())
                        .open(repositoryId, purpose);
                if (session.isPresent()) {
                    return session;
                }
            }
            return Optional.empty();
        };
    }

    /** A server registration as the provisioner writes it. */
    public record Registration(
            String serverId,
            URI endpoint,
            String token,
            String certificateSha256,
            String state,
            Instant startedAt,
            @Nullable Instant expiresAt) {}

    /** The running, unexpired registrations in {@code tableName}, newest first. */
    public static List<Registration> running(DynamoDbClient dynamo, String tableName, Instant now) {
        var items = dynamo.queryPaginator(b -> b.tableName(tableName)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION))))
                .items();
        var found = new ArrayList<Registration>();
        for (var item : items) {
            var registration = parse(item);
            if (registration != null
                    && registration.state().equals(RUNNING)
                    && (registration.expiresAt() == null
                            || registration.expiresAt().isAfter(now))) {
                found.add(registration);
            }
        }
        found.sort(Comparator.comparing(Registration::startedAt).reversed());
        return found;
    }

    private static @Nullable Registration parse(Map<String, AttributeValue> item) {
        var endpoint = string(item, "endpoint");
        var token = string(item, "token");
        var state = string(item, "state");
        var startedAt = string(item, "startedAt");
        var serverId = string(item, "sk");
        var certificate = string(item, "certificateSha256");
        if (serverId == null || endpoint == null || token == null || state == null || startedAt == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (certificate == null || !"https".equalsIgnoreCase(uri.getScheme())) {
            // Nothing to pin, or plain HTTP: the token would go to whoever answers. Never used.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Ignoring ScaleZ server registration {0}: it has no certificate fingerprint or is not HTTPS",
                    serverId);
            return null;
        }
        var expires = item.get("expiresAt");
        try {
            return new Registration(
                    serverId,
                    uri,
                    token,
                    ServerCertificate.normalize(certificate),
                    state,
                    Instant.parse(startedAt),
                    expires == null || expires.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(expires.n())));
        } catch (RuntimeException e) {
            // A registration this version cannot read is skipped, not fatal: the backup can write by itself.
            return null;
        }
    }

    private static @Nullable String string(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        return value == null ? null : value.s();
    }
}
