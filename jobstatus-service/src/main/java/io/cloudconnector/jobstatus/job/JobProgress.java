package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.JobCounter;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How far a job has come: {@code bytesDone} of {@code bytesTotal} — counted in {@code unit} ({@code bytes},
 * {@code assets}, {@code checks}, {@code files}, …; the names stay {@code bytes*} for the clients written before
 * units) — the percentage, the average rate per second since the job started and the estimated seconds left at
 * that rate; {@code secondary} is a second counter some jobs keep (a scan's files); {@code reportedAt} is when the
 * worker measured it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobProgress(
        long bytesDone,
        @Nullable Long bytesTotal,
        @Nullable Double percent,
        @Nullable Long bytesPerSecond,
        @Nullable Long etaSeconds,
        @Nullable Instant reportedAt,
        String unit,
        @Nullable JobCounter secondary) {}
