package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Accepts a validated job: stores it (with its idempotency record), announces it with {@code JobCreated} so that
 * jobstatus shows it, and launches it. Requests that carry an {@code Idempotency-Key} are answered from the
 * record of the first one: same body, same job; another body, 409.
 */
@Service
public class JobAdmission {

    private static final Logger log = LoggerFactory.getLogger(JobAdmission.class);
    private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    private final JobStore store;
    private final EventPublisher events;
    private final JobLauncher launcher;
    private final Clock clock;

    JobAdmission(JobStore store, EventPublisher events, JobLauncher launcher, Clock clock) {
        this.store = store;
        this.events = events;
        this.launcher = launcher;
        this.clock = clock;
    }

    /** The answer: the job, and whether it was made by an earlier request with the same key. */
    public record Accepted(String jobId, boolean replayed) {

        /** 202 with {@code {"jobId": …}}, the job's {@code Location} in jobstatus, and the replay header if so. */
        public ResponseEntity<JobAccepted> response() {
            var answer = ResponseEntity.accepted().location(URI.create("/v1/jobs/" + jobId));
            if (replayed) {
                answer.header(REPLAYED, "true");
            }
            return answer.body(new JobAccepted(jobId));
        }
    }

    /** The body of a 202: the job to follow in jobstatus. */
    public record JobAccepted(String jobId) {
    }

    /** The header a client repeats a POST with. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set on an answer that repeats the one given to an earlier request with the same key. */
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    /**
     * A usable idempotency key, or null without one.
     *
     * @throws InvalidInputException naming the header when it is empty, too long, or not visible ASCII
     */
    public static @Nullable String checkKey(@Nullable String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        return key;
    }

    /** The hash that tells two request bodies apart: SHA-256 of their canonical fields. */
    public static String requestHash(List<@Nullable String> fields) {
        var canonical = String.join("\n", fields.stream().map(f -> f == null ? "" : f).toList());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The job an earlier request with this key made, if any.
     *
     * @throws ConflictException naming {@code Idempotency-Key} when that request had another body
     */
    public @Nullable Accepted replay(String scope, @Nullable String key, String requestHash) {
        if (key == null) {
            return null;
        }
        var earlier = store.idempotency(scope, key, clock.instant()).orElse(null);
        if (earlier == null) {
            return null;
        }
        if (!earlier.requestHash().equals(requestHash)) {
            throw new ConflictException("Idempotency-Key", "Idempotency-Key " + key + " was used for a different request");
        }
        return new Accepted(earlier.jobId(), true);
    }

    /** Stores, announces and launches a job; {@code list} is the listing it appears in (BACKUP, RESTORE). */
    public Accepted accept(JobRecord job, String list, String scope, @Nullable String key, String requestHash) {
        var idempotency = key == null ? null
                : new IdempotencyRecord(scope, key, requestHash, job.id(), job.requestedAt().plus(IDEMPOTENCY_TTL));
        try {
            store.create(job, list, idempotency);
        } catch (JobStore.IdempotencyRaceException e) {
            var winner = replay(scope, key, requestHash);
            if (winner == null) {
                throw new IllegalStateException("Idempotency-Key " + key + " was taken but holds no job", e);
            }
            return winner;
        }
        try {
            events.publish(new JobCreated(job.id(), job.kind(), job.vaultId(), job.assetId(), job.recoveryPointId()),
                    job.id());
        } catch (RuntimeException e) {
            // Unannounced, the job would run without jobstatus knowing it: take it back and fail the request.
            store.delete(job.id(), idempotency);
            throw e;
        }
        try {
            launcher.launch(job);
        } catch (RuntimeException e) {
            String message = "The job could not be started: " + e.getMessage();
            log.warn("{} {}: {}", job.kind(), job.id(), message, e);
            if (store.failUnheld(job.id(), "launch-failed", message, clock.instant())) {
                events.publish(new JobFailed(job.id(), "launch-failed", message), job.id());
            }
        }
        return new Accepted(job.id(), false);
    }
}
