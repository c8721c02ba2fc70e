package io.cloudconnector.backgroundjobs.job;

/** Gets a queued job run: on the vault's Batch queue, or on this service's executor. */
public interface JobLauncher {

    /**
     * Starts (or submits) a run of the job; returns without waiting for it. A job that cannot be started now
     * stays queued for the reconciler.
     */
    void launch(JobRecord job);

    /** Whether a run of this job is on its way or under way (so the reconciler leaves it alone). */
    boolean launched(JobRecord job);

    /** Stops what was launched for a job cancelled before it ran (best effort). */
    void withdraw(JobRecord job);
}
