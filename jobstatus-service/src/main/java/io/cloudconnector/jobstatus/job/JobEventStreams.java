package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.security.TokenDeadline;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
 * (virtual) request thread while it is open, and ends when the token that opened it expires: its last event is
 * then {@code token-expired}, and a client that reconnects needs a fresh token.
 */
@Component
class JobEventStreams {

    /** What EventSource-style clients wait before reconnecting. */
    private static final int RETRY_MILLIS = 2_000;
    /** Far enough for "never" (Instant.MAX cannot be subtracted from). */
    private static final Instant MAX_DEADLINE = Instant.parse("9999-01-01T00:00:00Z");

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
        Instant deadline = TokenDeadline.current().orElse(Instant.MAX);
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
                if (stream.tokenExpired(deadline)) {
                    return;
                }
                var changes = subscription.await(waitAtMost(deadline));
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
        Instant deadline = TokenDeadline.current().orElse(Instant.MAX);
        try (var subscription = updates.subscribeToAll()) {
            var stream = open(response);
            while (!subscription.ended() && !stream.tokenExpired(deadline)) {
                jobs.refreshRunning();
                var changes = subscription.await(waitAtMost(deadline));
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

    /** The usual wait for changes, shortened so that a stream ends soon after its token expired. */
    private Duration waitAtMost(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline.isAfter(MAX_DEADLINE) ? MAX_DEADLINE : deadline);
        Duration wait = left.compareTo(properties.refreshAfter()) < 0 ? left : properties.refreshAfter();
        return wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
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

        /**
         * Whether the token that opened the stream has expired ({@code deadline}); if so the stream's last event
         * says so.
         */
        boolean tokenExpired(Instant deadline) throws ClientGone {
            if (clock.instant().isBefore(deadline)) {
                return false;
            }
            write(
                    "event: token-expired\ndata: {\"detail\":\"The bearer token expired; reconnect with a new one\"}\n\n");
            return true;
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
