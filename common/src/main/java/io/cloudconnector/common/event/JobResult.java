package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The ids of what a job produced; each is absent when the job's kind does not produce it. A scan's
 * {@code verdict} ({@code clean}, {@code infected}, {@code suspicious}, {@code unreadable}) goes with its report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(
        @Nullable String recoveryPointId,
        @Nullable String snapshotId,
        @Nullable String volumeId,
        @Nullable String instanceId,
        @Nullable String reportId,
        @Nullable String verdict) {

    /** A result without a verdict. */
    public JobResult(
            @Nullable String recoveryPointId,
            @Nullable String snapshotId,
            @Nullable String volumeId,
            @Nullable String instanceId,
            @Nullable String reportId) {
        this(recoveryPointId, snapshotId, volumeId, instanceId, reportId, null);
    }

    /** A result that names nothing. */
    public static JobResult none() {
        return new JobResult(null, null, null, null, null, null);
    }
}
