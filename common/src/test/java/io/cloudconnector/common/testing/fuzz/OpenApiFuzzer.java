package io.cloudconnector.common.testing.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates requests for every operation of an OpenAPI 3 document: property-based generation from the
 * document's schemas, driven by a seeded {@link Random} (so a run is reproducible from its seed). For each operation it makes one
 * request per kind of bad credential and {@code tries} requests with a valid token whose parameters and body are
 * valid, boundary or hostile values: huge strings, unicode, wrong types, negative and huge numbers, malformed
 * JSON, path traversal in ids ({@code ../}, {@code %2e%2e}, NUL), missing and extra fields, wrong content types.
 *
 * <p>It only builds requests; {@code OpenApiFuzzTests} sends them and checks the answers.
 */
public final class OpenApiFuzzer {

    /** The credential a request carries. */
    public enum Auth {
        /** No {@code Authorization} header. */
        NONE,
        /** A header that is not a bearer JWT at all. */
        MALFORMED,
        /** A correctly signed token that has expired. */
        EXPIRED,
        /** A correctly signed token for another connector. */
        OTHER_AUDIENCE,
        /** A valid token without any scope. */
        NO_SCOPE,
        /** A valid token with every scope. */
        VALID
    }

    /** A parameter of an operation ({@code in} is {@code path}, {@code query} or {@code header}). */
    public record Parameter(String name, String in, boolean required, JsonNode schema) {}

    /** One operation of the document. */
    public record Operation(
            String method,
            String path,
            List<Parameter> parameters,
            @Nullable JsonNode body,
            boolean bodyRequired) {

        /** {@code METHOD /path/{template}}. */
        public String id() {
            return method + " " + path;
        }

        /** Whether it may change state (anything but GET and HEAD). */
        public boolean mutating() {
            return !method.equals("GET") && !method.equals("HEAD");
        }
    }

    /** A request to send: {@code target} is the path with its query, already encoded. */
    public record Request(
            Operation operation,
            Auth auth,
            String method,
            String target,
            Map<String, String> headers,
            @Nullable String body,
            String variant) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CONTROL_CHARACTERS = java.util.stream.IntStream.range(0, 0x20)
            .mapToObj(c -> String.valueOf((char) c))
            .collect(java.util.stream.Collectors.joining());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings no service should choke on: huge, control characters, unicode, injections, traversal. */
    private static final List<String> HOSTILE_STRINGS = List.of(
            "",
            " ",
            "a".repeat(10_000),
            "x".repeat(300_000),
            "../../../../etc/passwd",
            "..\\..\\windows\\win.ini",
            "%2e%2e%2f%2e%2e%2f",
            "a\u0000b",
            "\u0000",
            "\u202e\u0645\u0631\u062d\u0628\u0627 \ud83d\udca5 \u00e9\u0301 \ufeff",
            "\ud800",
            "\r\nX-Injected: yes",
            "${jndi:ldap://127.0.0.1/x}",
            "<script>alert(1)</script>",
            "' OR '1'='1",
            "%s%s%s%n",
            "null",
            "true",
            "-1",
            "1e309",
            "NaN",
            "vlt-" + "0".repeat(26),
            "rp-" + "Z".repeat(26),
            "j-../../x",
            "aws:ebs:123456789012:us-east-1:vol-../../x",
            "2026-13-45T99:99:99Z");

    /** Raw (already encoded) path segments that try to step out of the resource or break the parser. */
    private static final List<String> HOSTILE_SEGMENTS = List.of(
            "..",
            ".",
            "%2e%2e",
            "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "..%2f..%2fv1",
            "..%5c..%5c",
            "%00",
            "a%00b",
            "%252e%252e",
            "%c0%ae%c0%ae",
            "%ff%fe",
            "%2F",
            "a;jsessionid=x",
            "%20",
            "%E2%80%AE%F0%9F%92%A5");

    private static final List<String> HOSTILE_NUMBERS = List.of(
            "-1",
            "0",
            "-9223372036854775809",
            "9223372036854775808",
            "99999999999999999999999999999",
            "1.5",
            "1e309",
            "-0",
            "NaN",
            "0x10",
            "abc",
            "");

    /** Bodies that are not JSON, or JSON of the wrong shape. */
    private static final List<String> MALFORMED_BODIES = List.of(
            "{",
            "{\"a\":",
            "[",
            "nul",
            "{\"a\":1}}",
            "{'a':1}",
            "\u0000",
            "[]",
            "\"string\"",
            "42",
            "null",
            "true",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":1,\"a\":2}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":" + "9".repeat(2_000) + "}",
            "\ufeff{}");

    /** Content types the operations do not take, with a body of that type. */
    private static final List<String[]> WRONG_CONTENT = List.of(
            new String[] {"text/plain", "hello"},
            new String[] {"application/xml", "<a><b>1</b></a>"},
            new String[] {"application/x-www-form-urlencoded", "a=1&b=2"},
            new String[] {"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data\r\n\r\nx\r\n"},
            new String[] {"application/json; charset=no-such-charset", "{}"},
            new String[] {"application/json; charset=UTF-16", "{}"},
            new String[] {"application/octet-stream", "\u0001\u0002"},
            new String[] {"*/*", "{}"});

    private final JsonNode document;
    private final Random random;
    private final Map<String, List<String>> known = new LinkedHashMap<>();

    private OpenApiFuzzer(JsonNode document, long seed) {
        this.document = document;
        this.random = new Random(seed);
    }

    /** A fuzzer of the OpenAPI document {@code json}, reproducible with {@code seed}. */
    public static OpenApiFuzzer of(String json, long seed) {
        return new OpenApiFuzzer(JSON.readTree(json), seed);
    }

    /**
     * Remembers a value a service answered with (an id from a list, say) so that requests use it as a valid
     * value of a field or parameter of that name ({@code id} fits every {@code *Id} and path {@code {id}}).
     */
    public void remember(String name, String value) {
        var values = known.computeIfAbsent(name, k -> new ArrayList<>());
        if (values.size() < 20 && !values.contains(value)) {
            values.add(value);
        }
    }

    /** Every operation of the document, in its order. */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        JsonNode paths = document.path("paths");
        for (String path : paths.propertyNames()) {
            JsonNode item = paths.path(path);
            for (String method : List.of("get", "put", "post", "delete", "patch", "head")) {
                JsonNode op = item.get(method);
                if (op == null) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : iterate(item.path("parameters"))) {
                    parameters.add(parameter(resolve(p)));
                }
                for (JsonNode p : iterate(op.path("parameters"))) {
                    parameters.add(parameter(resolve(p)));
                }
                JsonNode body = null;
                boolean bodyRequired = false;
                JsonNode requestBody = op.get("requestBody");
                if (requestBody != null) {
                    requestBody = resolve(requestBody);
                    bodyRequired = requestBody.path("required").asBoolean(false);
                    Iterator<JsonNode> contents =
                            requestBody.path("content").values().iterator();
                    body = contents.hasNext() ? resolve(contents.next().path("schema")) : NODES.objectNode();
                }
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), path, parameters, body, bodyRequired));
            }
        }
        return operations;
    }

    /** Requests for one credential each but {@link Auth#VALID}, all with otherwise valid values. */
    public List<Request> authRequests(Operation operation) {
        List<Request> requests = new ArrayList<>();
        for (Auth auth : Auth.values()) {
            if (auth != Auth.VALID) {
                requests.add(build(operation, auth, Variant.VALID));
            }
        }
        return requests;
    }

    /** {@code tries} requests with a valid token and valid, boundary or hostile values. */
    public List<Request> requests(Operation operation, int tries) {
        List<Request> requests = new ArrayList<>();
        List<Variant> variants = operation.body() == null
                ? weighted(
                        3, Variant.VALID,
                        2, Variant.BOUNDARY,
                        5, Variant.HOSTILE_PARAMETER,
                        1, Variant.UNEXPECTED_BODY,
                        1, Variant.WRONG_ACCEPT)
                : weighted(
                        2, Variant.VALID,
                        1, Variant.BOUNDARY,
                        3, Variant.HOSTILE_PARAMETER,
                        4, Variant.HOSTILE_FIELD,
                        2, Variant.MISSING_FIELD,
                        2, Variant.EXTRA_FIELD,
                        3, Variant.WRONG_TYPE,
                        2, Variant.MALFORMED_JSON,
                        2, Variant.WRONG_CONTENT_TYPE,
                        1, Variant.NO_BODY,
                        1, Variant.WRONG_ACCEPT);
        for (int i = 0; i < tries; i++) {
            requests.add(build(operation, Auth.VALID, pick(variants)));
        }
        return requests;
    }

    /** {@code PATCH} (or {@code PUT}) on a path that does not declare it: a 405. */
    public @Nullable Request undeclaredMethod(String path, Set<String> declared) {
        String method = declared.contains("PATCH") ? "PUT" : "PATCH";
        if (declared.contains(method)) {
            return null;
        }
        var operation = new Operation(method, path, pathParameters(path), null, false);
        return build(operation, Auth.VALID, Variant.VALID);
    }

    private enum Variant {
        VALID,
        BOUNDARY,
        HOSTILE_PARAMETER,
        HOSTILE_FIELD,
        MISSING_FIELD,
        EXTRA_FIELD,
        WRONG_TYPE,
        MALFORMED_JSON,
        WRONG_CONTENT_TYPE,
        NO_BODY,
        UNEXPECTED_BODY,
        WRONG_ACCEPT
    }

    private Request build(Operation operation, Auth auth, Variant variant) {
        List<Parameter> parameters = operation.parameters();
        @Nullable Parameter hostile = null;
        if (variant == Variant.HOSTILE_PARAMETER && !parameters.isEmpty()) {
            hostile = parameters.get(random.nextInt(parameters.size()));
        }
        StringBuilder detail = new StringBuilder(variant.name().toLowerCase(Locale.ROOT));
        String path = operation.path();
        StringBuilder query = new StringBuilder();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            boolean isHostile = p == hostile;
            if (!isHostile && !p.required() && random.nextInt(3) > 0) {
                continue;
            }
            switch (p.in()) {
                case "path" -> {
                    String segment = isHostile ? hostileSegment(p) : encodePath(value(p.name(), p.schema(), variant));
                    path = path.replace("{" + p.name() + "}", segment);
                }
                case "query" -> {
                    String value = isHostile ? hostileScalar(p.schema()) : value(p.name(), p.schema(), variant);
                    query.append(query.isEmpty() ? "?" : "&")
                            .append(encodeQuery(p.name()))
                            .append('=')
                            .append(encodeQuery(value));
                    if (isHostile && random.nextInt(4) == 0) {
                        // The same parameter twice.
                        query.append('&').append(encodeQuery(p.name())).append("=1");
                    }
                }
                case "header" -> {
                    String value = isHostile ? hostileScalar(p.schema()) : value(p.name(), p.schema(), variant);
                    headers.put(p.name(), headerSafe(value));
                }
                default -> {
                    // cookies: none in these documents
                }
            }
            if (isHostile) {
                detail.append(' ').append(p.in()).append(':').append(p.name());
            }
        }
        // A path parameter the document forgot to declare still gets a value.
        path = path.replaceAll("\\{[^}]+}", "x");
        @Nullable String body = null;
        JsonNode schema = operation.body();
        if (schema != null) {
            headers.put("Content-Type", "application/json");
            switch (variant) {
                case MALFORMED_JSON -> body = pick(MALFORMED_BODIES);
                case WRONG_CONTENT_TYPE -> {
                    String[] content = pick(WRONG_CONTENT);
                    headers.put("Content-Type", content[0]);
                    body = content[1];
                    detail.append(' ').append(content[0]);
                }
                case NO_BODY -> headers.remove("Content-Type");
                default -> body = write(mutate(value(schema, variant), schema, variant, detail));
            }
        } else if (variant == Variant.UNEXPECTED_BODY) {
            headers.put("Content-Type", "application/json");
            body = "{\"unexpected\": true}";
        }
        if (variant == Variant.WRONG_ACCEPT) {
            headers.put("Accept", pick(List.of("application/xml", "text/html", "image/png")));
        }
        return new Request(operation, auth, operation.method(), path + query, headers, body, detail.toString());
    }

    // ---- values from schemas

    private String value(String name, JsonNode schema, Variant variant) {
        JsonNode node = value(name, resolve(schema), variant, 0);
        return node.isString() ? node.asString() : node.toString();
    }

    private JsonNode value(JsonNode schema, Variant variant) {
        return value("", resolve(schema), variant, 0);
    }

    private JsonNode value(String name, JsonNode schema, Variant variant, int depth) {
        schema = resolve(schema);
        List<String> knownValues = knownFor(name);
        if (!knownValues.isEmpty() && random.nextInt(4) > 0) {
            return NODES.stringNode(pick(knownValues));
        }
        JsonNode example = schema.get("example");
        if (example != null && variant == Variant.VALID && random.nextBoolean()) {
            return example;
        }
        JsonNode enumeration = schema.get("enum");
        if (enumeration != null && enumeration.isArray() && !enumeration.isEmpty()) {
            return enumeration.get(random.nextInt(enumeration.size()));
        }
        boolean boundary = variant == Variant.BOUNDARY;
        return switch (type(schema)) {
            case "integer", "number" -> NODES.numberNode(number(schema, boundary));
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int size = boundary ? pick(List.of(0, 1, 200)) : random.nextInt(3);
                for (int i = 0; i < size && depth < 6; i++) {
                    array.add(value(name, schema.path("items"), variant, depth + 1));
                }
                yield array;
            }
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                Set<String> required = requiredOf(schema);
                for (var property : schema.path("properties").properties()) {
                    if (depth < 6 && (required.contains(property.getKey()) || random.nextBoolean())) {
                        object.set(
                                property.getKey(), value(property.getKey(), property.getValue(), variant, depth + 1));
                    }
                }
                yield object;
            }
            default -> NODES.stringNode(string(schema, boundary));
        };
    }

    private String string(JsonNode schema, boolean boundary) {
        String format = schema.path("format").asString("");
        if (format.equals("date-time")) {
            return boundary
                    ? pick(List.of("1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-12-07T00:00:00Z"))
                    : java.time.Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000))
                            .toString();
        }
        int min = schema.path("minLength").asInt(1);
        int max = schema.path("maxLength").asInt(40);
        if (boundary) {
            int length = pick(List.of(min, max, Math.max(0, min - 1), max + 1));
            return "b".repeat(Math.max(0, length));
        }
        int from = Math.max(1, min);
        int to = Math.max(from, Math.min(max, 40));
        return randomString(from + random.nextInt(to - from + 1), "abcdefghijklmnopqrstuvwxyz0123456789-_");
    }

    private java.math.BigDecimal number(JsonNode schema, boolean boundary) {
        long min = schema.has("minimum") ? schema.path("minimum").asLong() : 0;
        long max = schema.has("maximum") ? schema.path("maximum").asLong() : 1000;
        if (boundary) {
            return java.math.BigDecimal.valueOf(pick(List.of(min, max, min - 1, max + 1, Long.MAX_VALUE)));
        }
        return java.math.BigDecimal.valueOf(min + (long) (random.nextDouble() * (Math.max(min, max) - min)));
    }

    // ---- hostile values

    private String hostileScalar(JsonNode schema) {
        String type = type(resolve(schema));
        if ((type.equals("integer") || type.equals("number")) && random.nextBoolean()) {
            return pick(HOSTILE_NUMBERS);
        }
        return hostileString();
    }

    private String hostileString() {
        return switch (random.nextInt(4)) {
            case 0 -> randomUnicode(random.nextInt(61));
            case 1 -> randomString(1 + random.nextInt(5), CONTROL_CHARACTERS);
            default -> pick(HOSTILE_STRINGS);
        };
    }

    private String hostileSegment(Parameter p) {
        if (random.nextBoolean()) {
            return pick(HOSTILE_SEGMENTS);
        }
        String value = hostileScalar(p.schema());
        if (value.length() > 5_000) {
            // A request line beyond Tomcat's header limit is refused before any service code runs.
            value = value.substring(0, 5_000);
        }
        return value.isEmpty() ? "%20" : encodePath(value);
    }

    private JsonNode mutate(JsonNode body, JsonNode schema, Variant variant, StringBuilder detail) {
        if (!(body instanceof ObjectNode object)) {
            return switch (variant) {
                case WRONG_TYPE -> NODES.stringNode("not the right type");
                case HOSTILE_FIELD -> NODES.stringNode(hostileString());
                default -> body;
            };
        }
        List<String> fields = new ArrayList<>();
        for (var property : resolve(schema).path("properties").properties()) {
            fields.add(property.getKey());
        }
        if (fields.isEmpty()) {
            fields.add("unexpected");
        }
        String field = fields.get(random.nextInt(fields.size()));
        switch (variant) {
            case MISSING_FIELD -> {
                List<String> required = new ArrayList<>(requiredOf(resolve(schema)));
                String removed = required.isEmpty() ? field : required.get(random.nextInt(required.size()));
                object.remove(removed);
                detail.append(" -").append(removed);
            }
            case EXTRA_FIELD -> {
                object.put("unexpected" + random.nextInt(10), hostileString());
                object.set("__proto__", NODES.objectNode().put("admin", true));
                detail.append(" +unexpected");
            }
            case HOSTILE_FIELD -> {
                object.set(field, hostileNode());
                detail.append(' ').append(field);
            }
            case WRONG_TYPE -> {
                object.set(field, wrongType(object.get(field)));
                detail.append(' ').append(field);
            }
            default -> {
                // valid and boundary bodies as generated
            }
        }
        return object;
    }

    private JsonNode hostileNode() {
        return switch (random.nextInt(6)) {
            case 0 ->
                NODES.numberNode(new java.math.BigDecimal(pick(List.of(
                        "-1",
                        "-9223372036854775809",
                        "9223372036854775808",
                        "1e309",
                        "1.5",
                        "-0",
                        "99999999999999999999999999999"))));
            case 1 -> NODES.nullNode();
            case 2 -> NODES.arrayNode().add(hostileString()).add(NODES.nullNode());
            default -> NODES.stringNode(hostileString());
        };
    }

    private JsonNode wrongType(@Nullable JsonNode current) {
        if (current == null || current.isString()) {
            return pick(List.of(NODES.numberNode(42), NODES.booleanNode(true), NODES.arrayNode(), NODES.objectNode()));
        }
        if (current.isNumber()) {
            return pick(List.of(NODES.stringNode("forty-two"), NODES.booleanNode(false), NODES.objectNode()));
        }
        if (current.isBoolean()) {
            return pick(List.of(NODES.stringNode("yes"), NODES.numberNode(1), NODES.arrayNode()));
        }
        return pick(List.of(NODES.stringNode("text"), NODES.numberNode(7), NODES.booleanNode(true)));
    }

    // ---- helpers

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The values, each {@code weight} times: {@code weighted(3, a, 1, b)} picks a three times as often as b. */
    private static List<Variant> weighted(Object... weightsAndValues) {
        List<Variant> values = new ArrayList<>();
        for (int i = 0; i + 1 < weightsAndValues.length; i += 2) {
            for (int n = 0; n < (Integer) weightsAndValues[i]; n++) {
                values.add((Variant) weightsAndValues[i + 1]);
            }
        }
        return values;
    }

    private String randomString(int length, String alphabet) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Any UTF-16 code units, lone surrogates and control characters included. */
    private String randomUnicode(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(
                    switch (random.nextInt(4)) {
                        case 0 -> (char) random.nextInt(0x80);
                        case 1 -> (char) (0xd800 + random.nextInt(0x800));
                        default -> (char) random.nextInt(0x10000);
                    });
        }
        return text.toString();
    }

    private List<String> knownFor(String name) {
        if (name.isEmpty()) {
            return List.of();
        }
        List<String> exact = known.get(name);
        if (exact != null) {
            return exact;
        }
        return name.equals("id") || name.endsWith("Id") ? known.getOrDefault("id", List.of()) : List.of();
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 20; hops++) {
            JsonNode ref = current.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith("#/")) {
                JsonNode target = document;
                for (String part : ref.asString().substring(2).split("/")) {
                    target = target.path(part);
                }
                current = target;
                continue;
            }
            for (String combiner : List.of("allOf", "oneOf", "anyOf")) {
                JsonNode options = current.get(combiner);
                if (options != null && options.isArray() && !options.isEmpty()) {
                    current = options.get(0);
                    break;
                }
            }
            if (current.get("$ref") == null) {
                return current;
            }
        }
        return current;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return schema.has("properties") ? "object" : "string";
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asString().equals("null")) {
                    return t.asString();
                }
            }
            return "string";
        }
        return type.asString();
    }

    private static Set<String> requiredOf(JsonNode schema) {
        Set<String> required = new java.util.LinkedHashSet<>();
        for (JsonNode name : iterate(schema.path("required"))) {
            required.add(name.asString());
        }
        return required;
    }

    private Parameter parameter(JsonNode p) {
        return new Parameter(
                p.path("name").asString(),
                p.path("in").asString(),
                p.path("required").asBoolean(false),
                p.has("schema") ? p.path("schema") : NODES.objectNode());
    }

    private static List<Parameter> pathParameters(String path) {
        List<Parameter> parameters = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
        while (matcher.find()) {
            parameters.add(new Parameter(matcher.group(1), "path", true, NODES.objectNode()));
        }
        return parameters;
    }

    private static Iterable<JsonNode> iterate(JsonNode array) {
        return array.isArray() ? array.values() : List.of();
    }

    private static String write(JsonNode node) {
        return JSON.writeValueAsString(node);
    }

    private static String encodeQuery(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String encodePath(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Header values may carry neither line breaks nor other control characters: the client refuses them. */
    private static String headerSafe(String value) {
        StringBuilder safe = new StringBuilder();
        value.codePoints().limit(8_000).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                safe.appendCodePoint(c);
            } else {
                safe.append('?');
            }
        });
        return safe.toString();
    }
}
