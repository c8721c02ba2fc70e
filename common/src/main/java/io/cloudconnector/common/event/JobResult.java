package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** The ids of what a job produced; each is absent when the job's kind does not produce it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(
        @Nullable String recoveryPointId,
        @Nullable String snapshotId,
        @Nullable String volumeId,
        @Nullable String instanceId,
        @Nullable String reportId) {

    /** A result that names nothing. */
    public static JobResult none() {
        return new JobResult(null, null, null, null, null);
    }
}
