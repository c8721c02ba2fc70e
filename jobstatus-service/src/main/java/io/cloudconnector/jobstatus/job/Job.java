package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A job as the API shows it. {@code version} grows with every change and is the SSE event id;
 * {@code error} is set for failed jobs, {@code result} for succeeded ones. What the job is about —
 * vault (and its name), asset (and its {@code Name} tag), recovery point, policy and run — is there where
 * it applies; {@code durationSeconds} is from creation to the end once the job finished, and {@code phases}
 * its timeline.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        String id,
        JobKind kind,
        JobState state,
        @Nullable String vaultId,
        @Nullable String vaultName,
        @Nullable String assetId,
        @Nullable String assetName,
        @Nullable String recoveryPointId,
        @Nullable String policyId,
        @Nullable String runId,
        @Nullable JobProgress progress,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Long durationSeconds,
        @Nullable Instant cancelRequestedAt,
        @Nullable JobError error,
        @Nullable JobResult result,
        List<JobPhase> phases,
        List<JobLogEntry> eventLog,
        long version,
        @Nullable Instant updatedAt) {

    /** The view of a created record without names. */
    static Job of(JobRecord record) {
        return of(record, JobNames.NONE);
    }

    /** The view of a created record; the derived progress figures are computed here, once per change. */
    static Job of(JobRecord record, JobNames names) {
        var createdAt = record.createdAt();
        if (record.kind() == null || createdAt == null) {
            throw new IllegalArgumentException("Job " + record.id() + " has not been created yet");
        }
        var outcome = record.outcome();
        Instant finishedAt = outcome == null ? null : outcome.finishedAt();
        return new Job(
                record.id(),
                record.kind(),
                record.state(),
                record.vaultId(),
                record.vaultId() == null ? null : names.vaultName(record.vaultId()),
                record.assetId(),
                record.assetId() == null ? null : names.assetName(record.assetId()),
                record.recoveryPointId(),
                record.policyId(),
                record.runId(),
                progress(record),
                createdAt,
                record.startedAt(),
                finishedAt,
                finishedAt == null
                        ? null
                        : Math.max(0, Duration.between(createdAt, finishedAt).toMillis()) / 1000,
                record.cancelRequestedAt(),
                outcome == null ? null : outcome.error(),
                outcome == null ? null : outcome.result(),
                phases(record, createdAt, finishedAt),
                record.log(),
                record.version(),
                record.updatedAt());
    }

    /** Whether the job has reached a final state. */
    boolean finished() {
        return state.isFinal();
    }

    /**
     * The phases the job went through, each ending when the next one began (or the job ended): queued from its
     * creation, provisioning once compute was being started, running once a worker started or reported.
     */
    private static List<JobPhase> phases(JobRecord record, Instant createdAt, @Nullable Instant finishedAt) {
        Instant running = record.startedAt();
        if (running == null && record.progress() != null) {
            running = record.progress().reportedAt();
        }
        List<String> names = new ArrayList<>(List.of("queued"));
        List<Instant> starts = new ArrayList<>(List.of(createdAt));
        if (record.provisioningAt() != null) {
            names.add("provisioning");
            starts.add(record.provisioningAt());
        }
        if (running != null) {
            names.add("running");
            starts.add(running);
        }
        List<JobPhase> phases = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Instant end = i + 1 < starts.size() ? starts.get(i + 1) : finishedAt;
            phases.add(JobPhase.of(names.get(i), starts.get(i), end));
        }
        return phases;
    }

    private static @Nullable JobProgress progress(JobRecord record) {
        var reported = record.progress();
        Long total = reported != null ? Long.valueOf(reported.bytesTotal()) : record.bytesTotalAtStart();
        if (reported == null && total == null) {
            return null;
        }
        long done = reported == null ? 0 : reported.bytesDone();
        JobState state = record.state();
        var secondary = reported == null ? null : reported.secondary();
        if (state == JobState.SUCCEEDED && total != null) {
            // The last report of a worker may come a little before the end; a succeeded job did all of it.
            done = Math.max(done, total);
            if (secondary != null) {
                secondary = new io.cloudconnector.common.event.JobCounter(
                        secondary.unit(), Math.max(secondary.done(), secondary.total()), secondary.total());
            }
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
        return new JobProgress(
                done,
                total,
                percent,
                rate,
                eta,
                reported == null ? null : reported.reportedAt(),
                record.unit(),
                secondary);
    }
}
