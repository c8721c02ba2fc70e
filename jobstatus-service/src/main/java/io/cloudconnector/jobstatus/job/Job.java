package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A job as the API shows it. {@code version} grows with every change and is the SSE event id;
 * {@code error} is set for failed jobs, {@code result} for succeeded ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        String id,
        JobKind kind,
        JobState state,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String recoveryPointId,
        @Nullable JobProgress progress,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Instant cancelRequestedAt,
        @Nullable JobError error,
        @Nullable JobResult result,
        List<JobLogEntry> eventLog,
        long version,
        @Nullable Instant updatedAt) {

    /** The view of a created record; the derived progress figures are computed here, once per change. */
    static Job of(JobRecord record) {
        if (record.kind() == null || record.createdAt() == null) {
            throw new IllegalArgumentException("Job " + record.id() + " has not been created yet");
        }
        var outcome = record.outcome();
        return new Job(
                record.id(),
                record.kind(),
                record.state(),
                record.vaultId(),
                record.assetId(),
                record.recoveryPointId(),
                progress(record),
                record.createdAt(),
                record.startedAt(),
                outcome == null ? null : outcome.finishedAt(),
                record.cancelRequestedAt(),
                outcome == null ? null : outcome.error(),
                outcome == null ? null : outcome.result(),
                record.log(),
                record.version(),
                record.updatedAt());
    }

    /** Whether the job has reached a final state. */
    boolean finished() {
        return state.isFinal();
    }

    private static @Nullable JobProgress progress(JobRecord record) {
        var reported = record.progress();
        Long total = reported != null ? Long.valueOf(reported.bytesTotal()) : record.bytesTotalAtStart();
        if (reported == null && total == null) {
            return null;
        }
        long done = reported == null ? 0 : reported.bytesDone();
        JobState state = record.state();
        if (state == JobState.SUCCEEDED && total != null) {
            // The last report of a worker may come a little before the end; a succeeded job did all of it.
            done = Math.max(done, total);
        }
        Double percent = total == null || total <= 0 ? null : Math.min(100.0, Math.floor(done * 1000.0 / total) / 10);
        Long rate = null;
        if (reported != null && record.startedAt() != null) {
            long millis =
                    Duration.between(record.startedAt(), reported.reportedAt()).toMillis();
            rate = millis > 0 ? Math.round(reported.bytesDone() * 1000.0 / millis) : null;
        }
        Long eta = null;
        if (!state.isFinal() && rate != null && rate > 0 && total != null) {
            eta = Math.max(0, (long) Math.ceil((double) (total - done) / rate));
        }
        return new JobProgress(done, total, percent, rate, eta, reported == null ? null : reported.reportedAt());
    }
}
