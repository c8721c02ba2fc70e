package io.cloudconnector.backgroundjobs.job;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Worker mode ({@code --worker --job-id=j-…}, what the vault's Batch job definition runs): runs that one job and
 * lets the process exit, 0 unless the job failed. See {@code BackgroundJobsApplication}.
 */
@Component
@ConditionalOnProperty(WorkerRunner.JOB_ID_PROPERTY)
class WorkerRunner implements ApplicationRunner, ExitCodeGenerator {

    /** The job a worker runs. */
    static final String JOB_ID_PROPERTY = "connector.jobs.worker.job-id";

    private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

    private final JobRunner runner;
    private final String jobId;
    private volatile int exitCode = 1;

    WorkerRunner(JobRunner runner, @Value("${" + JOB_ID_PROPERTY + "}") String jobId) {
        this.runner = runner;
        this.jobId = jobId;
    }

    @Override
    public void run(ApplicationArguments args) {
        // The job was taken up when this process started: its start-up (JVM, Spring) is the worker-start phase.
        var started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        var outcome = runner.runWhenFree(jobId, started);
        log.info("Worker for {} done: {}", jobId, outcome);
        exitCode = outcome == JobRunner.Outcome.FAILED
                        || outcome == JobRunner.Outcome.HELD
                        || outcome == JobRunner.Outcome.RETRY
                ? 1
                : 0;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
