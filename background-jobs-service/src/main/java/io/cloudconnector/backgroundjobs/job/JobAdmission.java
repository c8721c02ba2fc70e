package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.idempotency.Claim;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.messaging.EventPublisher;
import java.net.URI;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Accepts a validated job: stores it (with its idempotency record, in one transaction), announces it with
 * {@code JobCreated} so that jobstatus shows it, and launches it. A request that carries an
 * {@code Idempotency-Key} is answered by {@link Idempotency}: same key and body, the first answer again.
 */
@Service
public class JobAdmission {

    private static final Logger log = LoggerFactory.getLogger(JobAdmission.class);

    private final JobStore store;
    private final EventPublisher events;
    private final JobLauncher launcher;
    private final Idempotency idempotency;
    private final Clock clock;

    JobAdmission(JobStore store, EventPublisher events, JobLauncher launcher, Idempotency idempotency, Clock clock) {
        this.store = store;
        this.events = events;
        this.launcher = launcher;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** The body of a 202: the job to follow in jobstatus. */
    public record JobAccepted(String jobId) {}

    /**
     * Answers a request to start a job: the first answer under its key if it has been answered, else 202 with
     * the job that {@code job} validates and builds (throwing 4xx problems before anything is written), stored,
     * announced and launched.
     *
     * @param operation what the key belongs to, e.g. {@code POST /v1/backups}
     * @param list the listing the job appears in (BACKUP, RESTORE)
     */
    public ResponseEntity<JobAccepted> admit(
            String operation, @Nullable String key, Object request, String list, Supplier<JobRecord> job) {
        return idempotency.respond(operation, key, request, JobAccepted.class, claim -> accept(job.get(), list, claim));
    }

    /**
     * Starts a job another service asked for with an id it minted (its event may come twice): stored unless a job of
     * that id exists, announced and launched as {@link #admit} does.
     *
     * @return false when the job was known already (nothing was done)
     */
    public boolean startRequested(JobRecord job, String list) {
        if (store.find(job.id()).isPresent()) {
            return false;
        }
        try {
            store.create(job, list);
        } catch (TransactionCanceledException e) {
            // Created by a concurrent delivery of the same request.
            return false;
        }
        accepted(job);
        return true;
    }

    private ResponseEntity<JobAccepted> accept(JobRecord job, String list, Claim claim) {
        var answer = ResponseEntity.accepted()
                .location(URI.create("/v1/jobs/" + job.id()))
                .body(new JobAccepted(job.id()));
        store.create(job, list, claim, answer);
        try {
            accepted(job);
        } catch (RuntimeException e) {
            claim.release();
            throw e;
        }
        return answer;
    }

    /** Announces a stored job and launches it. */
    private void accepted(JobRecord job) {
        try {
            events.publish(
                    new JobCreated(
                            job.id(),
                            job.kind(),
                            job.vaultId(),
                            job.assetId(),
                            job.recoveryPointId(),
                            job.parameter(JobRecord.POLICY_ID),
                            job.parameter(JobRecord.RUN_ID)),
                    job.id());
        } catch (RuntimeException e) {
            // Unannounced, the job would run without jobstatus knowing it: take it back and fail the request.
            store.delete(job.id());
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
    }
}
