package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.backgroundjobs.config.JobsProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps every unfinished job moving, in the service (never in a worker): a queued job nobody launched (the
 * executor was full, the service restarted) is launched; a running job whose run stopped renewing its lease (its
 * worker died) gets a new run, until {@code connector.jobs.max-attempts} runs have started, then fails saying so.
 * Every step is a conditional write, so replicas reconciling at once do no harm.
 */
@Component
@ConditionalOnWebApplication
class JobReconciler {

    private static final Logger log = LoggerFactory.getLogger(JobReconciler.class);

    private final JobStore store;
    private final JobLauncher launcher;
    private final JobRunner runner;
    private final JobsProperties properties;
    private final Clock clock;

    JobReconciler(JobStore store, JobLauncher launcher, JobRunner runner, JobsProperties properties, Clock clock) {
        this.store = store;
        this.launcher = launcher;
        this.runner = runner;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(
            initialDelayString = "${connector.jobs.reconcile-interval:30s}",
            fixedDelayString = "${connector.jobs.reconcile-interval:30s}")
    void reconcile() {
        try {
            for (var job : store.unfinished()) {
                reconcile(job);
            }
        } catch (RuntimeException e) {
            log.warn("Reconciling jobs failed; trying again in {}: {}", properties.reconcileInterval(), e.getMessage());
        }
    }

    void reconcile(JobRecord job) {
        var now = clock.instant();
        boolean lapsed = job.state() == JobState.RUNNING
                && job.leaseUntil() != null
                && job.leaseUntil().isBefore(now);
        if (job.state() == JobState.QUEUED && job.cancelRequested()
                || lapsed && job.attempt() >= properties.maxAttempts()) {
            // Nothing will run it again: the runner gives it its ending.
            runner.run(job.id());
        } else if ((job.state() == JobState.QUEUED || lapsed) && !launcher.launched(job)) {
            log.info("Launching {} {} again ({})", job.kind(), job.id(), lapsed ? "its worker stopped" : "queued");
            launcher.launch(job);
        }
    }
}
