package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How far a job has come: bytes done of the total, the percentage, the average rate since the job
 * started and the estimated seconds left at that rate; {@code reportedAt} is when the worker measured it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobProgress(
        long bytesDone,
        @Nullable Long bytesTotal,
        @Nullable Double percent,
        @Nullable Long bytesPerSecond,
        @Nullable Long etaSeconds,
        @Nullable Instant reportedAt) {}
