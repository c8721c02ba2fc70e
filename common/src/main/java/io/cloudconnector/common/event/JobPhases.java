package io.cloudconnector.common.event;

/**
 * The names of the phases a backup's run records ({@link JobPhaseTiming}), in the order they happen. Other jobs may
 * name their own (an open set of lower-case names with dashes, shown as they are).
 */
public final class JobPhases {

    /** From the job's creation until a run picked it up (a local executor thread, a Batch worker's process). */
    public static final String QUEUED = "queued";

    /** From pick-up until the run held the job and announced it ({@code JobStarted}): a Batch worker's start-up. */
    public static final String WORKER_START = "worker-start";

    /** The vault, the asset and its previous point looked up, the vault's repository opened (its key unwrapped). */
    public static final String REPOSITORY_OPEN = "repository-open";

    /** The snapshot taken (or the given one) until EC2 reports it completed. */
    public static final String SNAPSHOT = "snapshot";

    /** Until the engine read the last block of the source (chunking, compressing and uploading meanwhile). */
    public static final String READ = "read";

    /** From the last block read until every pack was stored (the uploads still in flight, the index files). */
    public static final String UPLOAD = "upload";

    /** The recovery point's manifest sealed and written (and its Object Lock record): the point exists. */
    public static final String COMMIT = "commit";

    /** The point recorded by background-jobs and announced to the catalog ({@code RecoveryPointCreated}). */
    public static final String CATALOG = "catalog";

    /** The previous base snapshots deleted (an incremental's new snapshots replace them). */
    public static final String CLEANUP = "cleanup";

    private JobPhases() {}
}
