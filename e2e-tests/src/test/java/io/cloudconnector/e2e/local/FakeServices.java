package io.cloudconnector.e2e.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server standing in for every local service at once (the demo's steps need the fixed ports of a
 * local stack, which tests cannot take). Each request is recorded as {@code METHOD path body authorization} and
 * answered by the route for {@code METHOD path}.
 */
final class FakeServices implements AutoCloseable {

    /** Answers one request; {@code route} is {@code METHOD raw-path}. */
    interface Routes {
        void answer(HttpExchange exchange, String route) throws IOException;
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeServices(Routes routes) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path + " " + body + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            routes.answer(exchange, exchange.getRequestMethod() + " " + path);
        });
        server.start();
    }

    /** Where every service answers. */
    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A JSON answer ({@code status} with no body when {@code body} is empty). */
    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
