package io.cloudconnector.integrity.signatures;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.integrity.config.IntegrityProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * The {@code signatures-update} job: starts from the newest copy in the connector's bucket (so freshclam fetches only
 * what changed), runs {@code freshclam} (through the private mirrors when configured), and stores the result as a
 * new copy. One runs at a time, a few wait. Fails with {@code signatures-update-failed} and freshclam's words when it
 * cannot fetch (no route to a mirror, a database whose digital signature does not verify): the bucket keeps what
 * it had, and scans whose copy ages past {@code max-signature-age} become {@code unknown}.
 */
@Service
public class SignatureUpdates implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SignatureUpdates.class);

    /** The operation an {@code Idempotency-Key} of {@code POST /v1/integrity/signatures:update} belongs to. */
    static final String OPERATION = "signatures-update";

    private final Signatures signatures;
    private final IntegrityProperties properties;
    private final EventPublisher events;
    private final Idempotency idempotency;
    private final Clock clock;
    private final ExecutorService runner = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(2),
            Thread.ofPlatform().name("signatures-update").factory());

    SignatureUpdates(
            Signatures signatures,
            IntegrityProperties properties,
            EventPublisher events,
            Idempotency idempotency,
            Clock clock) {
        this.signatures = signatures;
        this.properties = properties;
        this.events = events;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** The answer to {@code POST /v1/integrity/signatures:update}. */
    public record UpdateAccepted(String jobId) {}

    /** Starts an update: its job; the same idempotency key gives the same job. */
    String start(@Nullable String idempotencyKey) {
        var accepted = request(idempotencyKey).getBody();
        if (accepted == null) {
            throw new IllegalStateException("An update was answered without its job");
        }
        return accepted.jobId();
    }

    /** 202 with the job; with an idempotency key, the answer to the first request with it. */
    ResponseEntity<UpdateAccepted> request(@Nullable String idempotencyKey) {
        return idempotency.respond(OPERATION, idempotencyKey, null, UpdateAccepted.class, claim -> {
            String jobId = Ids.job();
            var answer = ResponseEntity.accepted()
                    .location(URI.create("/v1/jobs/" + jobId))
                    .body(new UpdateAccepted(jobId));
            claim.put(answer);
            events.publish(new JobCreated(jobId, JobKind.SIGNATURES_UPDATE, null, null, null), jobId);
            var reporter = new JobReporter(events, clock, jobId);
            try {
                runner.submit(() -> run(jobId, reporter));
            } catch (RejectedExecutionException e) {
                reporter.failed(
                        "signatures-update-busy", "Signature updates are already running and queued; try again later");
            }
            return answer;
        });
    }

    /** Runs one update to its end: {@code JobSucceeded} with the new copy stored, or {@code JobFailed}. */
    void run(String jobId, JobReporter reporter) {
        var config = properties.signatures();
        Path dir = properties.scans().workDir().resolve("signatures-update-" + jobId);
        try {
            reporter.started();
            reporter.report(0, 3);
            var store = signatures.store();
            var previous = store.newest();
            if (previous.isPresent()) {
                store.download(previous.get(), dir);
                Files.deleteIfExists(dir.resolve(SignatureStore.COMPLETE));
            }
            reporter.progressed(1, 3);
            var result = Freshclam.run(
                    config.freshclam(),
                    dir,
                    config.mirrors(),
                    config.databases(),
                    config.customUrls(),
                    config.timeout());
            var files = SignatureSet.databaseFiles(dir);
            if (result.exitCode() != 0 || files.isEmpty()) {
                reporter.failed(
                        "signatures-update-failed",
                        "freshclam " + (result.exitCode() != 0 ? "exited with " + result.exitCode() : "fetched nothing")
                                + ": " + tail(result.output()));
                return;
            }
            reporter.progressed(2, 3);
            var copy = store.upload(dir, clock.instant());
            var set = SignatureSet.of(SignatureSet.BUCKET, dir, copy.key(), copy.fetchedAt(), java.util.List.of());
            log.info("Signatures {} stored as s3://{}/{}", set.version(), store.bucket(), copy.key());
            reporter.progressed(3, 3);
            reporter.succeeded(JobResult.none());
        } catch (RuntimeException | IOException e) {
            log.error("Signature update {} failed", jobId, e);
            reporter.failed("signatures-update-failed", "The signature update failed: " + e.getMessage());
        } finally {
            delete(dir);
        }
    }

    private static String tail(String output) {
        var lines = output.lines().filter(l -> !l.isBlank()).toList();
        var errors = lines.stream().filter(l -> l.startsWith("ERROR")).toList();
        var shown = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 3), lines.size()) : errors;
        var text = String.join(" | ", shown);
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    private static void delete(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".freshclam.conf"));
        } catch (IOException e) {
            log.warn("Cannot remove {}", dir, e);
        }
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
