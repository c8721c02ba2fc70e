package io.cloudconnector.e2e.local;

import io.cloudconnector.common.event.EventCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the demo's later steps ask of the local services: one authorized request to a service, and a job followed in
 * the job-status service until it ends. Failures are added to the demo's list, not thrown.
 */
final class DemoClient {

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    private final Function<LocalService, URI> services;
    private final PrintStream out;
    private final List<String> failures;
    private final Duration timeout;
    private final Duration poll;
    private final JsonMapper json = EventCodec.standardMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DemoClient(Function<LocalService, URI> services, PrintStream out, List<String> failures, Duration timeout) {
        this(services, out, failures, timeout, Duration.ofMillis(500));
    }

    /**
     * @param timeout how long {@link #follow} and {@link #awaitEnd} wait for a job
     * @param poll how often they read it meanwhile
     */
    DemoClient(
            Function<LocalService, URI> services,
            PrintStream out,
            List<String> failures,
            Duration timeout,
            Duration poll) {
        this.services = services;
        this.out = out;
        this.failures = failures;
        this.timeout = timeout;
        this.poll = poll;
    }

    /** The local stack's services on this machine. */
    static Function<LocalService, URI> local() {
        return service -> URI.create("http://127.0.0.1:" + service.port());
    }

    JsonMapper json() {
        return json;
    }

    /** Polls the job until it ends; returns it when it succeeded, else notes the failure and returns null. */
    @Nullable
    JsonNode follow(String token, String jobId) throws IOException, InterruptedException {
        var job = awaitEnd(token, jobId);
        if (job == null || job.path("state").asString().equals("succeeded")) {
            return job;
        }
        var error = job.path("error");
        String why = error.path("code").asString(job.path("state").asString()) + ": "
                + error.path("message").asString("");
        out.printf("   job %s %s: %s   FAILED%n", jobId, job.path("state").asString(), why);
        failures.add("job " + jobId + " " + job.path("state").asString() + ": " + why);
        return null;
    }

    /** Polls the job until it ends, whichever way; null when it did not end in time (nothing noted). */
    @Nullable
    JsonNode awaitEnd(String token, String jobId) throws IOException, InterruptedException {
        return awaitAnswer(
                token,
                LocalService.JOBSTATUS,
                "/v1/jobs/" + jobId,
                job -> FINAL.contains(job.path("state").asString()),
                timeout);
    }

    /**
     * Reads {@code path} of {@code service} until its 200 answer satisfies {@code done}, pausing between reads as
     * {@link #pause} says (up to the poll interval); that answer, or null when none did {@code within}.
     */
    @Nullable
    JsonNode awaitAnswer(String token, LocalService service, String path, Predicate<JsonNode> done, Duration within)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        int reads = 0;
        while (Instant.now().isBefore(deadline)) {
            var response = send(service, "GET", path, token, null);
            if (response.statusCode() == 200) {
                var body = json.readTree(response.body());
                if (done.test(body)) {
                    return body;
                }
            }
            Thread.sleep(pause(reads++, poll));
        }
        return null;
    }

    /**
     * The pause before read {@code n + 1}: 20 ms doubling up to {@code cap}, with ±20 % jitter, so that what is ready
     * at once is seen at once and what takes long is not read more often than the cap allows.
     */
    static long pause(int n, Duration cap) {
        long base = Math.min(cap.toMillis(), 20L << Math.min(n, 10));
        return Math.round(base * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }

    HttpResponse<String> send(LocalService service, String method, String path, String token, @Nullable String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(services.apply(service).resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
