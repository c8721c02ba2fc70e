package io.cloudconnector.common.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.fuzz.OpenApiFuzzer.Auth;
import io.cloudconnector.common.testing.fuzz.OpenApiFuzzer.Request;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fuzzer reads an OpenAPI document and builds reproducible, varied requests for each operation. */
class OpenApiFuzzerTests {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0",
             "paths": {
               "/v1/things": {
                 "get": {"parameters": [
                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                   {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}]},
                 "post": {"parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}],
                          "requestBody": {"required": true,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/New"}}}}}},
               "/v1/things/{id}": {
                 "get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]},
                 "delete": {"parameters": [{"name": "id", "in": "path", "required": true,
                                            "schema": {"type": "string"}}]}}},
             "components": {"schemas": {"New": {"type": "object", "required": ["name"],
               "properties": {"name": {"type": "string", "maxLength": 63},
                              "size": {"type": "integer", "format": "int64"},
                              "tags": {"type": "array", "items": {"type": "string"}},
                              "at": {"type": "string", "format": "date-time"}}}}}}
            """;

    @Test
    void readsEveryOperationWithItsParametersAndResolvedBody() {
        var operations = OpenApiFuzzer.of(DOCUMENT, 1).operations();

        assertThat(operations)
                .extracting(OpenApiFuzzer.Operation::id)
                .containsExactly("GET /v1/things", "POST /v1/things", "GET /v1/things/{id}", "DELETE /v1/things/{id}");
        var post = operations.get(1);
        assertThat(post.bodyRequired()).isTrue();
        assertThat(Objects.requireNonNull(post.body()).path("required").get(0).asString())
                .isEqualTo("name");
        assertThat(post.mutating()).isTrue();
        assertThat(operations.get(2).parameters()).singleElement().satisfies(p -> {
            assertThat(p.in()).isEqualTo("path");
            assertThat(p.required()).isTrue();
        });
    }

    @Test
    void makesOneRequestPerBadCredentialWithValidValues() {
        var fuzzer = OpenApiFuzzer.of(DOCUMENT, 1);
        var get = fuzzer.operations().get(2);

        var requests = fuzzer.authRequests(get);

        assertThat(requests)
                .extracting(Request::auth)
                .containsExactly(Auth.NONE, Auth.MALFORMED, Auth.EXPIRED, Auth.OTHER_AUDIENCE, Auth.NO_SCOPE);
        assertThat(requests)
                .allSatisfy(
                        r -> assertThat(r.target()).startsWith("/v1/things/").doesNotContain("{"));
    }

    @Test
    void theSameSeedMakesTheSameRequests() {
        assertThat(targets(OpenApiFuzzer.of(DOCUMENT, 42))).isEqualTo(targets(OpenApiFuzzer.of(DOCUMENT, 42)));
        assertThat(targets(OpenApiFuzzer.of(DOCUMENT, 42))).isNotEqualTo(targets(OpenApiFuzzer.of(DOCUMENT, 43)));
    }

    @Test
    void generatesValidBoundaryAndHostileRequests() {
        var fuzzer = OpenApiFuzzer.of(DOCUMENT, 7);
        var operations = fuzzer.operations();

        List<Request> posts = fuzzer.requests(operations.get(1), 400);
        List<Request> gets = fuzzer.requests(operations.get(2), 400);

        assertThat(posts).allSatisfy(r -> assertThat(r.auth()).isEqualTo(Auth.VALID));
        assertThat(posts)
                .extracting(r -> r.variant().split(" ")[0])
                .contains(
                        "valid",
                        "boundary",
                        "hostile_field",
                        "missing_field",
                        "extra_field",
                        "wrong_type",
                        "malformed_json",
                        "wrong_content_type",
                        "no_body");
        assertThat(posts).anySatisfy(r -> assertThat(r.body()).contains("\"name\":"));
        assertThat(posts).anySatisfy(r -> assertThat(r.body()).isEqualTo("{"));
        assertThat(posts)
                .anySatisfy(r -> assertThat(r.headers().get("Content-Type")).isEqualTo("text/plain"));
        assertThat(posts).anySatisfy(r -> assertThat(r.body()).contains("x".repeat(300_000)));
        assertThat(gets).extracting(Request::target).contains("/v1/things/%2e%2e", "/v1/things/..", "/v1/things/a%00b");
    }

    @Test
    void usesTheIdsItWasToldAbout() {
        var fuzzer = OpenApiFuzzer.of(DOCUMENT, 3);
        fuzzer.remember("id", "t-known");

        var requests = fuzzer.requests(fuzzer.operations().get(2), 100);

        assertThat(requests).extracting(Request::target).contains("/v1/things/t-known");
    }

    @Test
    void aPathWithoutPatchGetsAPatch() {
        var fuzzer = OpenApiFuzzer.of(DOCUMENT, 3);

        var request = fuzzer.undeclaredMethod("/v1/things/{id}", Set.of("GET", "DELETE"));

        assertThat(request).isNotNull();
        assertThat(Objects.requireNonNull(request).method()).isEqualTo("PATCH");
        assertThat(request.target()).doesNotContain("{");
    }

    private static List<String> targets(OpenApiFuzzer fuzzer) {
        return fuzzer.operations().stream()
                .flatMap(o -> fuzzer.requests(o, 30).stream())
                .map(r -> r.target() + " " + r.body())
                .toList();
    }
}
