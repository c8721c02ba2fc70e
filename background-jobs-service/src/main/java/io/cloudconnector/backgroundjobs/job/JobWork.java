package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import java.util.Set;

/**
 * What a kind of job does, run by {@link JobRunner} in a worker. Work calls {@link JobContext#checkpoint()} often
 * (and reads and writes blocks through {@link JobContext#guard}), so that a cancellation stops it within seconds.
 * A run may be repeated after a worker died: work must be safe to start again.
 */
public interface JobWork {

    /** The kinds it runs. */
    Set<JobKind> kinds();

    /** Runs one job; returns what it produced. Throw {@link JobFailure} for failures to report as they are. */
    JobResult run(JobContext context);
}
