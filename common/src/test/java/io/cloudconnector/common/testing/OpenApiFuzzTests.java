package io.cloudconnector.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.fuzz.OpenApiFuzzer;
import io.cloudconnector.common.testing.fuzz.OpenApiFuzzer.Request;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of a service's fuzz test: the service runs on a real port against the connector stack in a fresh
 * emulator, and every operation of its own OpenAPI document ({@code /v3/api-docs}) gets the requests
 * {@link OpenApiFuzzer} generates: without a token, with bad ones, with one lacking the scope, and with a valid
 * token and valid, boundary and hostile values. It asserts that no answer is a 5xx, that every 4xx is problem
 * JSON ({@code application/problem+json} with {@code type}, {@code title} and {@code status}), that bad
 * credentials are refused, and that a refused request that could change state left the service's table as it
 * was. It prints the requests sent and the answers per status.
 *
 * <p>{@code -Dfuzz.tries=N} (requests per operation with a valid token, default {@value #DEFAULT_TRIES}) and
 * {@code -Dfuzz.seed=S} (default: fixed, so CI runs are reproducible) tune a run.
 */
@WithAwsEmulator
// A context of its own, closed after the class: shared with a service's other emulator tests, a cached context is
// restarted by the next class before that class has deployed the stack into the reset emulator, and finds no inbox.
@TestPropertySource(properties = "connector.testing.fuzzed=true")
@DirtiesContext
public abstract class OpenApiFuzzTests extends SecuredWebTests {

    private static final int DEFAULT_TRIES = 8;
    private static final long DEFAULT_SEED = 20261207L;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] ALL_SCOPES = {
        Scopes.VAULTS_READ,
        Scopes.VAULTS_WRITE,
        Scopes.VAULTS_UNLOCK,
        Scopes.JOBS_READ,
        Scopes.JOBS_WRITE,
        Scopes.BACKUPS_WRITE,
        Scopes.RESTORES_WRITE,
        Scopes.ASSETS_READ,
        Scopes.ASSETS_WRITE,
        Scopes.INTEGRITY_READ,
        Scopes.INTEGRITY_WRITE,
        Scopes.POLICIES_READ,
        Scopes.POLICIES_WRITE,
        Scopes.DIAGNOSTICS
    };

    @LocalServerPort
    protected int port;

    @Autowired
    protected ServiceTable table;

    @Autowired
    protected DynamoDbClient dynamo;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @BeforeAll
    static void deployConnectorStack(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
    }

    /** The service's name in the figures printed. */
    protected abstract String service();

    /** Prepares what valid requests can refer to (a vault, a job, ...); nothing by default. */
    protected void arrange() {}

    /**
     * Whether an item key ({@code pk}, {@code sk}) is written in the background by the service (inbox
     * records, leases), not by a request; such keys are left out of the "nothing created" comparison.
     */
    protected boolean background(String pk, String sk) {
        return pk.startsWith("INBOX#") || pk.startsWith("EVENT#") || pk.startsWith("LEASE#") || pk.startsWith("PING#");
    }

    @Test
    void everyOperationOfTheOpenApiDocumentSurvivesTheFuzzer() throws Exception {
        arrange();
        var document = call("GET", "/v3/api-docs", bearerWith(), Map.of(), null);
        assertThat(document.status()).as(document.body()).isEqualTo(200);
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int tries = Integer.getInteger("fuzz.tries", DEFAULT_TRIES);
        var fuzzer = OpenApiFuzzer.of(document.body(), seed);
        var operations = fuzzer.operations();
        assertThat(operations).as("operations in /v3/api-docs").isNotEmpty();

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Set<String> fuzzedOperations = new TreeSet<>();
        int sent = 0;
        long started = System.nanoTime();

        harvestIds(fuzzer, operations);
        Map<String, Set<String>> methodsByPath = new LinkedHashMap<>();
        for (var operation : operations) {
            methodsByPath
                    .computeIfAbsent(operation.path(), p -> new LinkedHashSet<>())
                    .add(operation.method());
        }
        List<Request> requests = new ArrayList<>();
        for (var operation : operations) {
            fuzzedOperations.add(operation.id());
            requests.addAll(fuzzer.authRequests(operation));
            requests.addAll(fuzzer.requests(operation, tries));
        }
        methodsByPath.forEach((path, methods) -> {
            var request = fuzzer.undeclaredMethod(path, methods);
            if (request != null) {
                requests.add(request);
            }
        });
        @Nullable Set<String> known = null;
        for (var request : requests) {
            boolean checkTable = request.operation().mutating();
            // The keys after one request are those before the next, unless a read came between.
            Set<String> before = checkTable ? (known != null ? known : keys()) : Set.of();
            known = null;
            Answer answer;
            try {
                answer = send(request);
            } catch (IOException e) {
                failures.add(describe(request) + " -> no answer: " + e);
                continue;
            }
            sent++;
            statuses.merge(answer.status(), 1, Integer::sum);
            String failure = check(request, answer);
            if (checkTable) {
                known = keys();
            }
            if (failure == null && checkTable && known != null && answer.status() >= 400) {
                Set<String> created = new TreeSet<>(known);
                created.removeAll(before);
                if (!created.isEmpty()) {
                    failure = "refused with " + answer.status() + " but created " + created;
                }
            }
            if (failure != null) {
                failures.add(describe(request) + " -> " + failure);
            }
        }
        System.out.printf(
                "FUZZ %s: %d operations, %d requests sent in %d s (seed %d, %d tries), answers per status %s%n",
                service(),
                fuzzedOperations.size(),
                sent,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                seed,
                tries,
                statuses);
        assertThat(failures)
                .as("requests the %s service answered wrongly (seed %d)", service(), seed)
                .isEmpty();
    }

    private record Answer(int status, @Nullable String contentType, String body) {}

    /** Why an answer is wrong, or null. */
    private static @Nullable String check(Request request, Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            return status + " " + snippet(answer.body());
        }
        if (status >= 400) {
            String problem = problemError(answer);
            if (problem != null) {
                return status + " is not problem JSON (" + problem + "): " + answer.contentType() + " "
                        + snippet(answer.body());
            }
        }
        return switch (request.auth()) {
            case NONE, MALFORMED, EXPIRED, OTHER_AUDIENCE ->
                status == 401 ? null : "answered " + status + " to a request without a valid token";
            // Scopes are checked on the controller method, after its arguments are read: a malformed request
            // may be a 400 before it is a 403. Never anything but a refusal.
            case NO_SCOPE -> status >= 400 ? null : "answered " + status + " to a token without the scope";
            case VALID -> null;
        };
    }

    private static @Nullable String problemError(Answer answer) {
        String type = answer.contentType();
        if (type == null || !type.startsWith("application/problem+json")) {
            return "content type";
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            return "body is not JSON";
        }
        if (!body.path("type").isString() || !body.path("title").isString()) {
            return "no type or title";
        }
        if (body.path("status").asInt(-1) != answer.status()) {
            return "status field " + body.path("status");
        }
        return null;
    }

    /** Reads every list operation once with all scopes and remembers the ids it answers with. */
    private void harvestIds(OpenApiFuzzer fuzzer, List<OpenApiFuzzer.Operation> operations) throws IOException {
        for (var operation : operations) {
            if (!operation.method().equals("GET") || operation.path().contains("{")) {
                continue;
            }
            Answer answer;
            try {
                answer = call("GET", operation.path(), bearerWith(ALL_SCOPES), Map.of(), null);
            } catch (IOException e) {
                // No ids from this list: the fuzzing itself reports an operation that does not answer.
                continue;
            }
            if (answer.status() != 200
                    || answer.contentType() == null
                    || !answer.contentType().contains("json")) {
                continue;
            }
            try {
                remember(fuzzer, JSON.readTree(answer.body()), 0);
            } catch (RuntimeException e) {
                // not JSON after all: nothing to remember
            }
        }
    }

    private static void remember(OpenApiFuzzer fuzzer, JsonNode node, int depth) {
        if (depth > 6) {
            return;
        }
        if (node.isObject()) {
            for (var property : node.properties()) {
                String name = property.getKey();
                JsonNode value = property.getValue();
                if (value.isString() && (name.equals("id") || name.endsWith("Id"))) {
                    fuzzer.remember(name, value.asString());
                    fuzzer.remember("id", value.asString());
                } else {
                    remember(fuzzer, value, depth + 1);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node.values()) {
                remember(fuzzer, element, depth + 1);
            }
        }
    }

    /** The keys of the service's table, without those written in the background. */
    private Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (var page : dynamo.scanPaginator(
                b -> b.tableName(table.name()).consistentRead(true).projectionExpression("pk, sk"))) {
            for (Map<String, AttributeValue> item : page.items()) {
                String pk = item.getOrDefault("pk", AttributeValue.fromS("")).s();
                String sk = item.getOrDefault("sk", AttributeValue.fromS("")).s();
                if (pk != null && sk != null && !background(pk, sk)) {
                    keys.add(pk + " / " + sk);
                }
            }
        }
        return keys;
    }

    private Answer send(Request request) throws IOException {
        String authorization = switch (request.auth()) {
            case NONE -> null;
            case MALFORMED -> "Bearer not-a-jwt";
            case EXPIRED -> TestTokens.bearer(TOKENS.expiredToken(ALL_SCOPES));
            case OTHER_AUDIENCE -> TestTokens.bearer(TOKENS.tokenForAudience("cc-other", ALL_SCOPES));
            case NO_SCOPE -> bearerWith();
            case VALID -> bearerWith(ALL_SCOPES);
        };
        return call(request.method(), request.target(), authorization, request.headers(), request.body());
    }

    private Answer call(
            String method,
            String target,
            @Nullable String authorization,
            Map<String, String> headers,
            @Nullable String body)
            throws IOException {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(90))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        headers.forEach(builder::header);
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            try (InputStream in = response.body()) {
                // A stream of events never ends: its headers are the answer.
                String text = contentType != null && contentType.startsWith("text/event-stream")
                        ? ""
                        : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                return new Answer(response.statusCode(), contentType, text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String describe(Request request) {
        return request.operation().id() + " [" + request.auth() + " " + request.variant() + "] " + request.method()
                + " " + snippet(request.target())
                + (request.body() == null ? "" : " body " + snippet(request.body()));
    }

    private static String snippet(String text) {
        String flat = text.replaceAll("[\\r\\n]+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…(" + flat.length() + ")" : flat;
    }
}
