package io.cloudconnector.backgroundjobs.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An accepted backup request and the job that carries it out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupRequest(
        String jobId,
        String assetId,
        String vaultId,
        @Nullable String snapshotId,
        Instant requestedAt) {}
