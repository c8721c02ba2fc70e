package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.messaging.EventPublisher;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Someone asked jobstatus to cancel a job. Only this service's jobs are its business (integrity gets the same
 * event). The request is recorded on the job: a job no run has started ends here as cancelled; a running one is
 * stopped by its own run, whose heartbeat reads the request within a second. Repeated requests change nothing.
 */
@Component
class JobCancellation {

    private final JobStore store;
    private final JobLauncher launcher;
    private final EventPublisher events;
    private final Clock clock;

    JobCancellation(JobStore store, JobLauncher launcher, EventPublisher events, Clock clock) {
        this.store = store;
        this.launcher = launcher;
        this.events = events;
        this.clock = clock;
    }

    /** Handles one {@code JobCancelRequested} (registered with the inbox in {@code JobEvents}). */
    void handle(EventEnvelope envelope, JobCancelRequested event) {
        var job = store.requestCancel(event.jobId()).orElse(null);
        if (job == null || job.state() != JobState.QUEUED) {
            return;
        }
        if (store.cancelQueued(job.id(), clock.instant())) {
            launcher.withdraw(job);
            events.publish(new JobCancelled(job.id()), job.id());
        }
    }
}
