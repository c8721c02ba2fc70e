package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.JobKind;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A job as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        String id,
        JobKind kind,
        JobState state,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String recoveryPointId,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt) {
}
