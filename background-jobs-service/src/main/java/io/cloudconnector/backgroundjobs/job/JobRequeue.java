package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobRequeueRequested;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The provisioner saw the ScaleZ server a running backup wrote through interrupted (a spot reclaim) and asks for
 * the job to run again. The job gets a new run the way the reconciler gives one to a job whose worker died: launched
 * unless a run is on its way or under way; the new run waits out the lease of a run that still holds the job (and,
 * if that run finishes the job, finds nothing to do). A request is recorded on the job per server
 * ({@code requeuedFor}, a conditional write), so a repeated event changes nothing; a job that ended, is being
 * cancelled or is not this service's is left alone. If the launch fails the record is undone and the event's
 * redelivery tries again (the inbox's bounded redelivery; the reconciler remains the backstop).
 */
@Component
class JobRequeue {

    private static final Logger log = LoggerFactory.getLogger(JobRequeue.class);

    private final JobStore store;
    private final JobLauncher launcher;

    JobRequeue(JobStore store, JobLauncher launcher) {
        this.store = store;
        this.launcher = launcher;
    }

    /** Handles one {@code JobRequeueRequested} (registered with the inbox in {@code JobEvents}). */
    void handle(EventEnvelope envelope, JobRequeueRequested event) {
        var current = store.find(event.jobId()).orElse(null);
        if (current == null) {
            log.info(
                    "Requeue of unknown job {} ({} on server {}) ignored",
                    event.jobId(),
                    event.reason(),
                    event.serverId());
            return;
        }
        var job = store.requestRequeue(event.jobId(), event.serverId()).orElse(null);
        if (job == null) {
            log.info(
                    "Requeue of {} ({} on server {}) ignored: {}",
                    event.jobId(),
                    event.reason(),
                    event.serverId(),
                    current.state().finished()
                            ? "it ended " + current.state()
                            : current.cancelRequested() ? "it is being cancelled" : "requested already");
            return;
        }
        if (launcher.launched(job)) {
            log.info(
                    "Requeue of {} ({} on server {}): a run is under way; it hands off to its own writer, or is "
                            + "replaced once its lease lapses",
                    job.id(),
                    event.reason(),
                    event.serverId());
            return;
        }
        log.info(
                "Running {} {} again: its ScaleZ server {} stopped ({})",
                job.kind(),
                job.id(),
                event.serverId(),
                event.reason());
        try {
            launcher.launch(job);
        } catch (RuntimeException e) {
            store.forgetRequeue(job.id(), event.serverId());
            throw e;
        }
    }
}
