package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A job's execution record in this service's table: what to do, and how far its runs got.
 *
 * @param parameters what the request said beyond vault, asset and recovery point (e.g. {@code snapshotId}, the
 *     restore target)
 * @param attempt how many runs have started (a run whose worker died is replaced, up to a bound)
 * @param leaseUntil while running: until when the current run's claim holds without a heartbeat
 * @param batchJobId the AWS Batch job of the latest submission, in AWS mode
 */
public record JobRecord(
        String id,
        JobKind kind,
        JobState state,
        String vaultId,
        @Nullable String assetId,
        @Nullable String recoveryPointId,
        Map<String, String> parameters,
        Instant requestedAt,
        int attempt,
        @Nullable Instant leaseUntil,
        boolean cancelRequested,
        @Nullable String batchJobId,
        @Nullable JobResult result,
        @Nullable String errorCode,
        @Nullable String errorMessage) {

    /** The job parameters naming the protection policy and its run that started a job (absent otherwise). */
    public static final String POLICY_ID = "policyId";

    public static final String RUN_ID = "runId";

    public JobRecord {
        parameters = Map.copyOf(parameters);
    }

    /** A new job, queued. */
    public static JobRecord queued(
            String id,
            JobKind kind,
            String vaultId,
            @Nullable String assetId,
            @Nullable String recoveryPointId,
            Map<String, String> parameters,
            Instant requestedAt) {
        return new JobRecord(
                id,
                kind,
                JobState.QUEUED,
                vaultId,
                assetId,
                recoveryPointId,
                parameters,
                requestedAt,
                0,
                null,
                false,
                null,
                null,
                null,
                null);
    }

    /** A parameter, or null. */
    public @Nullable String parameter(String name) {
        return parameters.get(name);
    }
}
