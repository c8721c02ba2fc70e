package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events: one job's versions ({@code id:} = the job's version, so that a client that
 * reconnects with {@code Last-Event-ID} gets the current version if it missed any — each carries the
 * whole job, event log included), or every job's changes for the dashboard. Each stream holds one
 * (virtual) request thread while it is open.
 */
@Component
class JobEventStreams {

    /** What EventSource-style clients wait before reconnecting. */
    private static final int RETRY_MILLIS = 2_000;

    private final JobService jobs;
    private final JobUpdates updates;
    private final JobsProperties properties;
    private final JsonMapper json;
    private final Clock clock;

    JobEventStreams(JobService jobs, JobUpdates updates, JobsProperties properties, JsonMapper json, Clock clock) {
        this.jobs = jobs;
        this.updates = updates;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The job's current version at once (unless the client has it already), then every newer one,
     * closing after a final state. A client that already has the final version gets 204, which tells
     * SSE clients not to reconnect.
     */
    void streamJob(String id, @Nullable String lastEventId, HttpServletResponse response) throws IOException {
        long last = parseLastEventId(lastEventId);
        // Subscribe before reading, so that no change falls between the read and the subscription.
        try (var subscription = updates.subscribe(id)) {
            Job current = jobs.find(id).orElseThrow(() -> new NotFoundException("Job", id));
            if (current.finished() && current.version() <= last) {
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
            var stream = open(response);
            while (true) {
                if (current.version() > last) {
                    stream.event(Long.toString(current.version()), current);
                    last = current.version();
                }
                if (current.finished()) {
                    return;
                }
                var changes = subscription.await(properties.refreshAfter());
                if (subscription.ended()) {
                    return;
                }
                // Nothing heard: ask the cache, which re-reads a job another task may be updating.
                Optional<Job> newest = changes.isEmpty()
                        ? jobs.find(id)
                        : Optional.of(changes.getLast()).filter(jobs::visible).map(jobs::view);
                if (newest.isEmpty() && changes.isEmpty()) {
                    return; // the job expired while watched
                }
                if (newest.isPresent() && newest.get().version() > current.version()) {
                    current = newest.get();
                } else {
                    stream.heartbeatIfDue();
                }
            }
        } catch (ClientGone | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Every change of every job from now on, for the dashboard; no replay, a client reloads the list
     * instead. While it is open, cached running jobs are re-read regularly, so that changes applied by
     * another task of the service show up too.
     */
    void streamAll(HttpServletResponse response) throws IOException {
        try (var subscription = updates.subscribeToAll()) {
            var stream = open(response);
            while (!subscription.ended()) {
                jobs.refreshRunning();
                var changes = subscription.await(properties.refreshAfter());
                for (var change : changes) {
                    if (jobs.visible(change)) {
                        stream.event(null, jobs.view(change));
                    }
                }
                stream.heartbeatIfDue();
            }
        } catch (ClientGone | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long parseLastEventId(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInputException("Last-Event-ID", "must be the id of an event of this stream (a job version)");
    }

    private EventStream open(HttpServletResponse response) throws IOException, ClientGone {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store");
        // Proxies that buffer responses (nginx) would hold the events back.
        response.setHeader("X-Accel-Buffering", "no");
        var stream = new EventStream(response.getOutputStream());
        stream.write("retry: " + RETRY_MILLIS + "\n\n");
        return stream;
    }

    /** A client that went away shows up as a failed write; the stream then just ends. */
    private static final class ClientGone extends Exception {
        ClientGone(IOException cause) {
            super(cause);
        }
    }

    private final class EventStream {

        private final OutputStream out;
        private Instant lastWrite = clock.instant();

        EventStream(OutputStream out) {
            this.out = out;
        }

        void event(@Nullable String id, Job job) throws ClientGone {
            var text = new StringBuilder();
            if (id != null) {
                text.append("id: ").append(id).append('\n');
            }
            text.append("event: job\ndata: ")
                    .append(json.writeValueAsString(job))
                    .append("\n\n");
            write(text.toString());
        }

        void heartbeatIfDue() throws ClientGone {
            if (!clock.instant().isBefore(lastWrite.plus(properties.heartbeat()))) {
                write(": keep-alive\n\n");
            }
        }

        void write(String text) throws ClientGone {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = clock.instant();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }
    }
}
