package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A job was accepted and queued: what it is about, where that applies — the vault, the asset, the recovery
 * point, and the policy and the policy's run that started it (absent for a job someone asked for).
 */
public record JobCreated(
        String jobId,
        JobKind kind,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String recoveryPointId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String policyId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String runId)
        implements ConnectorEvent {

    /** A job no policy started. */
    public JobCreated(
            String jobId,
            JobKind kind,
            @Nullable String vaultId,
            @Nullable String assetId,
            @Nullable String recoveryPointId) {
        this(jobId, kind, vaultId, assetId, recoveryPointId, null, null);
    }
}
