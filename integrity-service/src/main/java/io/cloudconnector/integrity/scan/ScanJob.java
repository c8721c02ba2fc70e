package io.cloudconnector.integrity.scan;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A scan job as integrity tracks it (the job-status service has the full history): what it scans, which
 * report it will write, where it runs and how far it got.
 */
record ScanJob(
        String id,
        String recoveryPointId,
        String vaultId,
        String assetId,
        @Nullable String previousRecoveryPointId,
        String reportId,
        State state,
        Mode mode,
        @Nullable String batchJobId,
        Instant createdAt) {

    enum State {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED;

        boolean isFinal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    enum Mode {
        LOCAL,
        BATCH
    }

    ScanJob with(State newState) {
        return new ScanJob(
                id,
                recoveryPointId,
                vaultId,
                assetId,
                previousRecoveryPointId,
                reportId,
                newState,
                mode,
                batchJobId,
                createdAt);
    }

    ScanJob submitted(String batch) {
        return new ScanJob(
                id,
                recoveryPointId,
                vaultId,
                assetId,
                previousRecoveryPointId,
                reportId,
                state,
                mode,
                batch,
                createdAt);
    }
}
