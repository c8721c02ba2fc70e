package io.cloudconnector.provisioner.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small HTTP proxy between the provisioner's ECS client and the emulator, for the two things moto's ECS cannot
 * do: it places a task only for {@code launchType}, never for a {@code capacityProviderStrategy} (it then looks for
 * EC2 container instances and fails), and Fargate Spot never runs out of capacity there. The proxy records every
 * RunTask request as sent, forwards it with the strategy's capacity provider turned into {@code launchType FARGATE}
 * (what both Fargate providers run on), and, when told to, answers a FARGATE_SPOT request with the capacity
 * failure ECS gives. Every other call goes through unchanged, so tasks are then read back from the emulator.
 *
 * <p>Moto also fails (500, a TypeError) to run a task definition whose container has no memory of its own, which
 * Fargate allows and vault.yaml's server definition is; a test registers a copy with container memory and
 * {@link #alias}es the original to it.
 */
final class EcsCapacityProviderProxy implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> HOP_HEADERS =
            Set.of("host", "content-length", "connection", "expect", "transfer-encoding", "upgrade");

    private final URI emulator;
    private final HttpServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<JsonNode> runTasks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean spotExhausted = new AtomicBoolean();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();

    EcsCapacityProviderProxy(URI emulator) throws IOException {
        this.emulator = emulator;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The RunTask requests as the provisioner sent them. */
    List<JsonNode> runTasks() {
        return List.copyOf(runTasks);
    }

    /** RunTask of {@code taskDefinition} runs {@code runnable} in the emulator instead. */
    void alias(String taskDefinition, String runnable) {
        aliases.put(taskDefinition, runnable);
    }

    /** From now on, Fargate Spot has no capacity (or has it again). */
    void spotExhausted(boolean exhausted) {
        spotExhausted.set(exhausted);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = exchange.getRequestBody().readAllBytes();
            var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && target.endsWith(".RunTask")) {
                var request = (ObjectNode) JSON.readTree(body);
                runTasks.add(request.deepCopy());
                var provider = request.path("capacityProviderStrategy")
                        .path(0)
                        .path("capacityProvider")
                        .asString("");
                if (spotExhausted.get() && provider.equals("FARGATE_SPOT")) {
                    reply(
                            exchange,
                            200,
                            "application/x-amz-json-1.1",
                            ("{\"tasks\":[],\"failures\":[{\"reason\":"
                                            + "\"Capacity is unavailable at this time. Please try again later or in a different"
                                            + " availability zone\"}]}")
                                    .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                var alias = aliases.get(request.path("taskDefinition").asString(""));
                if (alias != null) {
                    request.put("taskDefinition", alias);
                }
                if (!provider.isEmpty()) {
                    request.remove("capacityProviderStrategy");
                    request.put("launchType", "FARGATE");
                }
                body = JSON.writeValueAsBytes(request);
            }
            var forward = HttpRequest.newBuilder(
                            emulator.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(exchange, 503, "text/plain", new byte[0]);
                return;
            }
            reply(
                    exchange,
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/json"),
                    response.body());
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
