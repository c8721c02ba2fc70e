package io.cloudconnector.common.web;

import static io.cloudconnector.common.testing.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.CommonTestApplication;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service built from common, over real HTTP (Tomcat): bodies over the configured limit are 413 whether their
 * length is announced or not, event streams past the cap are 429 and end when their token expires, and with no
 * {@code connector.account} the token audience takes its account from STS.
 */
@WithAwsEmulator
@SpringBootTest(
        classes = CommonTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.service=catalog",
            "connector.limits.max-request-body=64KB",
            "connector.limits.max-open-streams=2"
        })
class RequestLimitsIT {

    private static final TestTokens TOKENS = TestTokens.es256();

    @DynamicPropertySource
    static void connector(DynamicPropertyRegistry registry) {
        // No connector.account: the account comes from the emulator's STS, as in a deployment.
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.security.public-key", TOKENS::publicKeyPem);
    }

    @BeforeAll
    static void deployConnectorStack(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    OpenStreamLimiter streams;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theAudienceIsTheCallersAccountRegionAndConnectorId() throws Exception {
        assertThat(get("/v1/samples", TOKENS.token(Scopes.VAULTS_READ)).statusCode())
                .isEqualTo(200);
        var connectorIdOnly = get("/v1/samples", TOKENS.tokenForAudience(TestTokens.CONNECTOR_ID, Scopes.VAULTS_READ));
        assertThat(connectorIdOnly.statusCode()).isEqualTo(401);
        assertThat(connectorIdOnly.body()).contains("audience (aud)");
    }

    @Test
    void bodiesOverTheLimitAre413WhetherTheirLengthIsAnnouncedOrNot() throws Exception {
        byte[] big = ("{\"name\":\"" + "x".repeat(65 * 1024) + "\",\"size\":1}").getBytes(StandardCharsets.UTF_8);
        var announced = post(HttpRequest.BodyPublishers.ofByteArray(big), TOKENS.token(Scopes.VAULTS_WRITE));
        var chunked = post(
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(big)),
                TOKENS.token(Scopes.VAULTS_WRITE));
        var anonymous = post(HttpRequest.BodyPublishers.ofByteArray(big), null);
        for (var response : List.of(announced, chunked, anonymous)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body())
                    .contains("urn:cloudconnector:problem:body-too-large")
                    .contains("65536 bytes");
        }
        var small = post(
                HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(60 * 1024) + "\",\"size\":1}")),
                TOKENS.token(Scopes.VAULTS_WRITE));
        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
    }

    @Test
    void streamsPastTheCapAre429AndEveryStreamEndsWhenItsTokenExpires() throws Exception {
        // Long enough for the third request to come while both are open, even on a loaded machine.
        String first20s = TOKENS.tokenValidFor(Duration.ofSeconds(20), Scopes.VAULTS_READ);
        var first = stream(first20s);
        var second = stream(first20s);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);

        // (A short-lived token: were the stream let through, it would still end soon.)
        var third = get("/v1/samples/stream", TOKENS.tokenValidFor(Duration.ofSeconds(2), Scopes.VAULTS_READ));
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(third.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(third.body()).contains("urn:cloudconnector:problem:too-many-streams");

        // The streams end by themselves once their token expired: the last event says why.
        for (var open : List.of(first, second)) {
            var lines = java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> open.body().toList())
                    .get(90, TimeUnit.SECONDS);
            assertThat(lines).contains("event: tick", "event: token-expired");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> streams.open() == 0);
        var again = stream(TOKENS.tokenValidFor(Duration.ofSeconds(2), Scopes.VAULTS_READ));
        assertThat(again.statusCode()).isEqualTo(200);
        again.body().close();
    }

    private HttpResponse<Stream<String>> stream(String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/samples/stream"))
                        .header("Authorization", bearer(token))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", bearer(token))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body, @org.jspecify.annotations.Nullable String token)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/samples"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(body);
        if (token != null) {
            request.header("Authorization", bearer(token));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
