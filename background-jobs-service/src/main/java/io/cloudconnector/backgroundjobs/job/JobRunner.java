package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobPhases;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.resilience.Retries;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.remote.RemoteWriterException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs one job in this process: claims it (a conditional write, so one run at a time), announces it, runs its
 * {@link JobWork} while a heartbeat renews the claim every second and watches for a cancellation request, then
 * records and announces the outcome. The same runner serves the local executor and a Batch worker.
 */
@Service
public class JobRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** How a call to {@link #run} ended for this process. */
    public enum Outcome {
        SUCCEEDED,
        FAILED,
        CANCELLED,
        /** Another run holds the job (its lease has not lapsed). */
        HELD,
        /** Nothing to do: unknown, ended already, or the run lost the job to another worker. */
        NOT_RUN,
        /**
         * The run's ScaleZ server lost what the run had sent it (an interrupted spot server): the job is left
         * running with its lease lapsed, for the next run (the requeue or the reconciler launches it).
         */
        RETRY
    }

    private final JobStore store;
    private final EventPublisher events;
    private final Map<JobKind, JobWork> works = new EnumMap<>(JobKind.class);
    private final JobsProperties properties;
    private final String connectorId;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    JobRunner(
            JobStore store,
            EventPublisher events,
            List<JobWork> works,
            JobsProperties properties,
            ConnectorProperties connector,
            Clock clock) {
        this.store = store;
        this.events = events;
        works.forEach(work -> work.kinds().forEach(kind -> this.works.put(kind, work)));
        this.properties = properties;
        this.connectorId = connector.id();
        this.clock = clock;
        var counter = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            var t = new Thread(r, "job-heartbeat-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the job if it can be claimed now. */
    public Outcome run(String jobId) {
        return run(jobId, clock.instant());
    }

    /**
     * Runs the job if it can be claimed now; {@code pickedUp} is when this run took the job up (its {@code queued}
     * phase ends there, its {@code worker-start} begins).
     */
    public Outcome run(String jobId, Instant pickedUp) {
        return switch (store.claim(jobId, clock.instant(), properties.lease(), properties.maxAttempts())) {
            case JobStore.Claim.Claimed claimed -> execute(claimed.job(), pickedUp);
            case JobStore.Claim.Held held -> Outcome.HELD;
            case JobStore.Claim.Nothing nothing -> settle(nothing.job());
        };
    }

    /**
     * Runs the job, first waiting out the lease of a run that holds it (a Batch retry starts while the dead
     * worker's lease still runs); gives up after two leases.
     */
    public Outcome runWhenFree(String jobId) {
        // Taken up now (a local executor's thread).
        return runWhenFree(jobId, clock.instant());
    }

    /** {@link #runWhenFree(String)} by a run that took the job up at {@code pickedUp} (a worker: its start). */
    public Outcome runWhenFree(String jobId, Instant pickedUp) {
        Outcome[] last = {Outcome.NOT_RUN};
        try {
            // Polled about once a heartbeat (the holder renews its lease that often), with jitter.
            Retries.await(
                    "the lease on " + jobId + " to lapse",
                    properties.lease().multipliedBy(2),
                    properties.heartbeat(),
                    properties.heartbeat(),
                    clock,
                    () -> {
                        last[0] = run(jobId, pickedUp);
                        return last[0] != Outcome.HELD;
                    });
        } catch (Retries.WaitTimeoutException e) {
            if (Thread.currentThread().isInterrupted()) {
                return Outcome.NOT_RUN;
            }
        }
        return last[0];
    }

    /** A job that cannot be claimed may still need an ending: cancelled before it ran, or out of attempts. */
    private Outcome settle(@Nullable JobRecord job) {
        if (job == null || job.state().finished()) {
            return Outcome.NOT_RUN;
        }
        var now = clock.instant();
        if (job.cancelRequested() && job.state() == JobState.QUEUED && store.cancelQueued(job.id(), now)) {
            publish(new JobCancelled(job.id()), job.id());
            return Outcome.CANCELLED;
        }
        if (job.attempt() >= properties.maxAttempts()) {
            String message = "Its worker stopped " + job.attempt() + " times before finishing";
            if (store.failUnheld(job.id(), "worker-lost", message, now)) {
                publish(new JobFailed(job.id(), "worker-lost", message), job.id());
                return Outcome.FAILED;
            }
        }
        return Outcome.NOT_RUN;
    }

    private Outcome execute(JobRecord job, Instant pickedUp) {
        log.info("Running {} {} (attempt {})", job.kind(), job.id(), job.attempt());
        var reporter =
                new JobReporter(events, clock, job.id(), properties.progressInterval(), new SerialExecutor(scheduler));
        var context = new JobContext(job, connectorId, reporter, clock);
        boolean[] lost = {false};
        publish(new JobStarted(job.id(), null), job.id());
        if (job.attempt() == 1 && !pickedUp.isBefore(job.requestedAt())) {
            // A later attempt was queued by the run before it, not since the request.
            context.phase(JobPhases.QUEUED, job.requestedAt(), pickedUp);
        }
        context.phase(JobPhases.WORKER_START, pickedUp, clock.instant());
        long beat = properties.heartbeat().toMillis();
        var heartbeat =
                scheduler.scheduleWithFixedDelay(() -> renew(job, context, lost), beat, beat, TimeUnit.MILLISECONDS);
        try {
            var work = works.get(job.kind());
            if (work == null) {
                throw new JobFailure(
                        "unsupported-kind",
                        "This service does not run " + job.kind().wireName() + " jobs");
            }
            var result = work.run(context);
            heartbeat.cancel(false);
            reporter.finish();
            if (!store.finish(job.id(), job.attempt(), JobState.SUCCEEDED, result, null, null, clock.instant())) {
                return Outcome.NOT_RUN;
            }
            publish(new JobSucceeded(job.id(), result), job.id());
            log.info("{} {} succeeded: {}", job.kind(), job.id(), result);
            return Outcome.SUCCEEDED;
        } catch (RuntimeException e) {
            heartbeat.cancel(false);
            reporter.finish();
            if (context.stopping()) {
                if (lost[0]) {
                    log.warn("{} {} stopped: another worker took it over", job.kind(), job.id());
                    return Outcome.NOT_RUN;
                }
                if (store.finish(job.id(), job.attempt(), JobState.CANCELLED, null, null, null, clock.instant())) {
                    publish(new JobCancelled(job.id()), job.id());
                    log.info("{} {} cancelled", job.kind(), job.id());
                    return Outcome.CANCELLED;
                }
                return Outcome.NOT_RUN;
            }
            if (serverLost(e) && job.attempt() < properties.maxAttempts()) {
                if (store.release(job.id(), job.attempt(), clock.instant())) {
                    log.warn(
                            "{} {} (attempt {}) stopped: its ScaleZ server lost what it sent ({}); another run will"
                                    + " back it up again",
                            job.kind(),
                            job.id(),
                            job.attempt(),
                            e.getMessage());
                    return Outcome.RETRY;
                }
                return Outcome.NOT_RUN;
            }
            var failure = describe(e);
            log.warn("{} {} failed: {}: {}", job.kind(), job.id(), failure.code(), failure.getMessage(), e);
            if (store.finish(
                    job.id(),
                    job.attempt(),
                    JobState.FAILED,
                    null,
                    failure.code(),
                    failure.getMessage(),
                    clock.instant())) {
                publish(new JobFailed(job.id(), failure.code(), failure.getMessage()), job.id());
                return Outcome.FAILED;
            }
            return Outcome.NOT_RUN;
        }
    }

    private void renew(JobRecord job, JobContext context, boolean[] lost) {
        try {
            var current = store.renew(job.id(), job.attempt(), clock.instant(), properties.lease());
            if (current.isEmpty()) {
                lost[0] = true;
                context.stop("this run of " + job.id() + " no longer holds the job");
            } else if (current.get().cancelRequested()) {
                context.stop(job.id() + " was cancelled");
            }
        } catch (RuntimeException e) {
            // A missed heartbeat is survivable: the lease outlasts several.
            log.warn("Cannot renew the lease of {}: {}", job.id(), e.getMessage());
        }
    }

    /**
     * Whether the run failed because the ScaleZ server it wrote through failed its session (it went away before
     * storing what it had taken): nothing about the job is wrong, and a new run backs it up again, reusing what
     * reached the repository.
     */
    static boolean serverLost(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RemoteWriterException) {
                return true;
            }
        }
        return false;
    }

    /** The code and message a failed job reports: what a tenant can act on, never a stack trace. */
    static JobFailure describe(RuntimeException e) {
        return switch (e) {
            case JobFailure failure -> failure;
            case AwsServiceException aws ->
                new JobFailure(
                        "aws-error",
                        aws.awsErrorDetails() == null
                                ? String.valueOf(aws.getMessage())
                                : aws.awsErrorDetails().serviceName() + " "
                                        + aws.awsErrorDetails().errorCode() + ": "
                                        + aws.awsErrorDetails().errorMessage());
            case SdkClientException client -> new JobFailure("aws-unreachable", String.valueOf(client.getMessage()));
            case ScalezException storage -> new JobFailure("storage-error", String.valueOf(storage.getMessage()));
            default -> new JobFailure("internal", e.getClass().getSimpleName() + ": " + e.getMessage());
        };
    }

    private void publish(ConnectorEvent event, String jobId) {
        try {
            events.publish(event, jobId);
        } catch (RuntimeException e) {
            // The job's record is the truth; a lost event leaves jobstatus behind, it must not fail the job.
            log.error("Cannot publish {} of {}: {}", event.getClass().getSimpleName(), jobId, e.getMessage());
        }
    }

    /**
     * Runs its tasks on another executor one at a time, in the order they came: one job's reports (a phase's are
     * sent without waiting for the one before) reach the bus in the order of their sequence.
     */
    static final class SerialExecutor implements Executor {

        private final Executor executor;
        // Guarded by this.
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean draining;

        SerialExecutor(Executor executor) {
            this.executor = executor;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                tasks.add(task);
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                // Not draining: the queue held this task only.
                synchronized (this) {
                    tasks.clear();
                    draining = false;
                }
                throw e;
            }
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    log.warn("A job report failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
