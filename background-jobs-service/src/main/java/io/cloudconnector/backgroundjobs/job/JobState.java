package io.cloudconnector.backgroundjobs.job;

/** Where a job's execution stands, as this service records it (jobstatus derives its own view from the events). */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** Whether the job has ended. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
