package io.cloudconnector.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code Idempotency-Key} contract that every POST creating something keeps (docs/api.md, Idempotency),
 * run against each endpoint a service lists in {@link #idempotentEndpoints()}:
 * <ul>
 * <li>the key is optional: without one, each request is its own (two requests, two things created);
 * <li>a key that is empty, longer than 255 characters or not visible ASCII is a 400 problem naming the header;
 * <li>the same key and body get the first answer again (status, {@code Location}, body) with
 * {@code Idempotent-Replayed: true}; the first answer has no such header;
 * <li>the same key with another body is a 409 problem naming the header;
 * <li>a key belongs to one endpoint: the same key on each endpoint is a first request there.
 * </ul>
 * A test class implements it next to the service's other integration tests (the emulator and the data an
 * accepted request needs are theirs).
 */
public interface IdempotencyContractTests {

    /**
     * A POST that creates something.
     *
     * @param body makes a body the endpoint accepts; each call may make a new one (e.g. a new unique name)
     * @param otherBody makes a body different from any {@code body} made (it need not pass the endpoint's own
     *        checks: the key is looked up first), or null when the endpoint takes no body
     */
    record IdempotentEndpoint(
            String path,
            String scope,
            Supplier<@Nullable String> body,
            @Nullable Supplier<@Nullable String> otherBody) {}

    /** The service's POSTs that create something. */
    List<IdempotentEndpoint> idempotentEndpoints();

    /** POSTs {@code json} (or no body) with a token of {@code scope} and the given header name/value pairs. */
    HttpResponse<String> contractPost(String path, @Nullable String json, String scope, String... headers)
            throws IOException, InterruptedException;

    @TestFactory
    default Stream<DynamicNode> idempotencyKeyContract() {
        // One key of the longest length, first used on every endpoint: a key belongs to one endpoint, so its first
        // use on each is no replay.
        String sharedKey = "!~" + "k".repeat(MAX_KEY_LENGTH - 2 - 36) + UUID.randomUUID();
        return idempotentEndpoints().stream().map(endpoint -> contract(endpoint, sharedKey));
    }

    private DynamicContainer contract(IdempotentEndpoint endpoint, String sharedKey) {
        var json = JsonMapper.shared();
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(dynamicTest("without a key each request is its own", () -> {
            var first = contractPost(endpoint.path(), endpoint.body().get(), endpoint.scope());
            var second = contractPost(endpoint.path(), endpoint.body().get(), endpoint.scope());
            assertAccepted(first);
            assertAccepted(second);
            assertThat(first.headers().firstValue(REPLAYED)).isEmpty();
            assertThat(second.headers().firstValue(REPLAYED)).isEmpty();
            assertThat(second.body()).isNotEqualTo(first.body());
        }));
        // Non-ASCII keys are refused too (IdempotencyKeyTests), but java.net.http sends them as '?': not sent here.
        for (var bad : List.of(
                new BadKey("empty", ""),
                new BadKey("256 characters", "k".repeat(256)),
                new BadKey("a space", "nightly 42"),
                new BadKey("a tab", "nightly\t42"))) {
            tests.add(dynamicTest("a key with " + bad.what() + " is a 400 naming the header", () -> {
                var refused = contractPost(endpoint.path(), endpoint.body().get(), endpoint.scope(), KEY, bad.key());
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
                assertProblemNaming(refused, json);
            }));
        }
        tests.add(dynamicTest(
                "a key of 255 visible ASCII characters is the endpoint's own, and the same key and body "
                        + "(in any layout) get the first answer again, marked replayed",
                () -> {
                    String body = endpoint.body().get();
                    var first = contractPost(endpoint.path(), body, endpoint.scope(), KEY, sharedKey);
                    var again = contractPost(endpoint.path(), body, endpoint.scope(), KEY, sharedKey);
                    var relaid = contractPost(
                            endpoint.path(),
                            body == null ? null : relaid(json.readTree(body), json),
                            endpoint.scope(),
                            KEY,
                            sharedKey);
                    assertAccepted(first);
                    assertThat(first.headers().firstValue(REPLAYED)).isEmpty();
                    assertReplays(again, first);
                    assertReplays(relaid, first);
                }));
        var otherBody = endpoint.otherBody();
        if (otherBody != null) {
            tests.add(dynamicTest("the same key with another body is a 409 naming the header", () -> {
                String key = "other-" + UUID.randomUUID();
                String body = endpoint.body().get();
                var first = contractPost(endpoint.path(), body, endpoint.scope(), KEY, key);
                assertAccepted(first);
                var other = contractPost(endpoint.path(), otherBody.get(), endpoint.scope(), KEY, key);
                assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
                assertProblemNaming(other, json);
                // The refusal changed nothing: the key still holds the first answer.
                assertReplays(contractPost(endpoint.path(), body, endpoint.scope(), KEY, key), first);
            }));
        }
        return dynamicContainer("POST " + endpoint.path(), tests);
    }

    /** The header a request carries its key in. */
    String KEY = "Idempotency-Key";
    /** The header that marks a repeated answer. */
    String REPLAYED = "Idempotent-Replayed";
    /** The longest key accepted. */
    int MAX_KEY_LENGTH = 255;

    private static void assertAccepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    private static void assertReplays(HttpResponse<String> again, HttpResponse<String> first) {
        assertThat(again.statusCode()).as(again.body()).isEqualTo(first.statusCode());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Location"))
                .isEqualTo(first.headers().firstValue("Location"));
        assertThat(again.headers().firstValue(REPLAYED)).contains("true");
    }

    private static void assertProblemNaming(HttpResponse<String> response, JsonMapper json) {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo(KEY);
    }

    /** The same JSON with its object keys in reverse order and spaces between tokens. */
    private static String relaid(JsonNode node, JsonMapper json) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.propertyNames());
            java.util.Collections.reverse(names);
            return names.stream()
                    .map(name -> " " + json.writeValueAsString(name) + " : " + relaid(node.get(name), json))
                    .collect(java.util.stream.Collectors.joining(" ,", "{", " }"));
        }
        if (node.isArray()) {
            return node.valueStream()
                    .map(value -> relaid(value, json))
                    .collect(java.util.stream.Collectors.joining(" , ", "[ ", " ]"));
        }
        return json.writeValueAsString(node);
    }

    /** A key the API refuses, and what is wrong with it. */
    record BadKey(String what, String key) {}
}
