package io.cloudconnector.jobstatus.job;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Reads a Server-Sent Events stream in the background, as a client of the real HTTP server would. */
final class SseClient implements AutoCloseable {

    /** One event: its id (if any), type and data. */
    record Event(@Nullable String id, String type, String data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final HttpResponse<java.util.stream.Stream<String>> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<java.util.stream.Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Opens {@code uri} with the token and, if given, a {@code Last-Event-ID}. */
    static SseClient open(URI uri, String authorization, @Nullable String lastEventId) throws Exception {
        var request = HttpRequest.newBuilder(uri)
                .header("Authorization", authorization)
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        var client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new SseClient(client.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** Whether the server closed the stream. */
    boolean ended() {
        return ended;
    }

    private void read() {
        String id = null;
        String type = "message";
        List<String> data = new ArrayList<>();
        try (var lines = response.body()) {
            for (var line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, type, String.join("\n", data)));
                    }
                    id = null;
                    type = "message";
                    data.clear();
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        } catch (RuntimeException e) {
            // the test closed the stream
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
