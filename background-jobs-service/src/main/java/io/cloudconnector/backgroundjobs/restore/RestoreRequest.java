package io.cloudconnector.backgroundjobs.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** An accepted restore request and the job that carries it out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreRequest(
        String jobId,
        String recoveryPointId,
        String vaultId,
        String assetId,
        RestoreTarget target,
        Instant requestedAt) {}
