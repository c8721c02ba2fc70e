package io.cloudconnector.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of a service's integration tests: the connector stack is deployed into a fresh emulator before
 * the Spring context starts, and the test talks to the service over real HTTP.
 */
@WithAwsEmulator
public abstract class ServiceIntegrationTests extends SecuredWebTests {

    @LocalServerPort
    protected int port;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void deployConnectorStack(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
    }

    /** The service's list endpoint, e.g. {@code /v1/vaults}. */
    protected abstract String listPath();

    /** The scope its list endpoint needs. */
    protected abstract String listScope();

    @Test
    void theListReadsTheTableAndIsSecured() throws IOException, InterruptedException {
        assertThat(get(listPath(), null).statusCode()).isEqualTo(401);
        assertThat(get(listPath(), bearerWith(io.cloudconnector.common.security.Scopes.DIAGNOSTICS))
                        .statusCode())
                .isEqualTo(403);
        var page = get(listPath(), bearerWith(listScope()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).startsWith("{\"items\":[");
    }

    @Test
    void healthIsPublicAndOpenApiNeedsAToken() throws IOException, InterruptedException {
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/v3/api-docs", null).statusCode()).isEqualTo(401);
        var apiDocs = get("/v3/api-docs", bearerWith());
        assertThat(apiDocs.statusCode()).isEqualTo(200);
        assertThat(apiDocs.body()).contains("\"" + listPath() + "\"");
    }

    /** GET {@code path} with the given {@code Authorization} header value, or none if null. */
    protected HttpResponse<String> get(String path, @org.jspecify.annotations.Nullable String authorization)
            throws IOException, InterruptedException {
        return send("GET", path, null, authorization);
    }

    /**
     * Sends {@code method path} with a JSON body (or none), the given {@code Authorization} header value (or
     * none) and extra headers as name/value pairs.
     */
    protected HttpResponse<String> send(
            String method,
            String path,
            @org.jspecify.annotations.Nullable String json,
            @org.jspecify.annotations.Nullable String authorization,
            String... headers)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
