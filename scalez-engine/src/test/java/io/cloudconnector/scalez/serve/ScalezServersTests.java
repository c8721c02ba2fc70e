package io.cloudconnector.scalez.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Which registrations a backup may use: only HTTPS ones with a certificate fingerprint to pin. */
class ScalezServersTests {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final String PIN = "ab".repeat(32);

    private final List<Map<String, AttributeValue>> items = new ArrayList<>();
    private final List<PutItemRequest> puts = new ArrayList<>();

    /** A table holding {@link #items}, answering the registrations query and recording puts. */
    private final DynamoDbClient table = new DynamoDbClient() {
        @Override
        public QueryResponse query(QueryRequest request) {
            assertThat(request.expressionAttributeValues().get(":pk").s()).isEqualTo(ScalezServers.PARTITION);
            return QueryResponse.builder().items(items).count(items.size()).build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.add(request);
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    };

    @Test
    void onlyHttpsRegistrationsWithAFingerprintAreUsed() {
        items.add(registration("srv-good", "https://10.0.1.7:7070", PIN.toUpperCase(java.util.Locale.ROOT)));
        items.add(registration("srv-plain", "http://10.0.1.8:7070", PIN));
        items.add(registration("srv-unpinned", "https://10.0.1.9:7070", null));
        items.add(registration("srv-bad-pin", "https://10.0.1.10:7070", "not-a-sha256"));

        var running = ScalezServers.running(table, "cc-vlt-table", NOW);

        assertThat(running).singleElement().satisfies(registration -> {
            assertThat(registration.serverId()).isEqualTo("srv-good");
            assertThat(registration.certificateSha256())
                    .as("normalised to lower case")
                    .isEqualTo(PIN);
        });
    }

    @Test
    void aServerPublishesItsFingerprintUnderItsId() {
        var certificate = ServerCertificate.generate();

        ScalezServers.publishCertificate(
                table,
                "cc-vlt-table",
                "srv-1",
                certificate.sha256(),
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));

        assertThat(puts).singleElement().satisfies(put -> {
            assertThat(put.tableName()).isEqualTo("cc-vlt-table");
            assertThat(put.item().get("pk").s()).isEqualTo(ScalezServers.CERTIFICATE_PARTITION);
            assertThat(put.item().get("sk").s()).isEqualTo("srv-1");
            assertThat(put.item().get("certificateSha256").s()).isEqualTo(certificate.sha256());
            assertThat(Long.parseLong(put.item().get("expiresAt").n())).isGreaterThan(NOW.getEpochSecond());
        });
    }

    @Test
    void fingerprintsAreNormalisedAndAnythingElseIsRefused() {
        var hex = "0123456789abcdef".repeat(4);
        var colons = String.join(":", hex.toUpperCase(java.util.Locale.ROOT).split("(?<=\\G..)"));

        assertThat(ServerCertificate.normalize("sha256:" + colons)).isEqualTo(hex);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerCertificate.normalize(hex + "00"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PinnedCertificate.sslContext("x".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ScalezServerClient.of(java.net.URI.create("http://127.0.0.1:7070"), "t", hex))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTPS only");
    }

    private static Map<String, AttributeValue> registration(String id, String endpoint, @Nullable String pin) {
        var item = new HashMap<String, AttributeValue>();
        item.put("pk", AttributeValue.fromS(ScalezServers.PARTITION));
        item.put("sk", AttributeValue.fromS(id));
        item.put("endpoint", AttributeValue.fromS(endpoint));
        item.put("token", AttributeValue.fromS("token"));
        item.put("state", AttributeValue.fromS(ScalezServers.RUNNING));
        item.put("startedAt", AttributeValue.fromS(NOW.minusSeconds(60).toString()));
        item.put(
                "expiresAt",
                AttributeValue.fromN(Long.toString(NOW.plusSeconds(600).getEpochSecond())));
        if (pin != null) {
            item.put("certificateSha256", AttributeValue.fromS(pin));
        }
        return item;
    }
}
