package io.cloudconnector.integrity.scan;

import io.cloudconnector.integrity.vault.VaultRecord;

/** Where scan jobs run: in this process, or as AWS Batch jobs on the vault's compute. */
interface ScanDispatcher {

    /** Starts (or queues) the job; it reports through the job events from then on. */
    void dispatch(ScanJob job, VaultRecord vault);

    /** Stops the job if it is queued or running; {@code JobCancelled} is published by whoever stops it. */
    void cancel(ScanJob job);
}
