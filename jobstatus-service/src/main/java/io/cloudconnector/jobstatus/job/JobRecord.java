package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCounter;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobPhaseTiming;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.ProgressUnits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything the job events have said about one job, as stored in the table.
 *
 * <p>Events arrive at least once and in any order, so a record is a merge of facts rather than a state
 * machine: each event contributes its fact once (a second copy changes nothing), the latest progress is
 * the one with the highest sequence, the first terminal event wins, and the {@link #state()} is derived
 * from the facts. Applying the same events in any order therefore gives the same record, except that
 * of two different terminal events the first one applied stays (a finished job never changes its mind).
 * Events for a job whose {@link JobCreated} has not arrived yet are kept in a record without a kind,
 * which the API does not show until the creation arrives.
 *
 * @param version grows by one with every change that was stored; the SSE event id
 */
record JobRecord(
        String id,
        @Nullable JobKind kind,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String recoveryPointId,
        @Nullable String policyId,
        @Nullable String runId,
        @Nullable Instant createdAt,
        @Nullable Instant provisioningAt,
        @Nullable Instant startedAt,
        @Nullable Long bytesTotalAtStart,
        @Nullable String unitAtStart,
        @Nullable Progress progress,
        @Nullable Outcome outcome,
        @Nullable Instant cancelRequestedAt,
        List<JobLogEntry> log,
        long version,
        @Nullable Instant updatedAt) {

    /** The latest progress report: the one with the highest sequence number. */
    record Progress(
            long sequence,
            long bytesDone,
            long bytesTotal,
            Instant reportedAt,
            @Nullable String unit,
            @Nullable JobCounter secondary) {}

    /** How the job ended: a final state, when, and the error or the result. */
    record Outcome(
            JobState state,
            Instant finishedAt,
            @Nullable JobError error,
            @Nullable JobResult result) {}

    JobRecord {
        log = List.copyOf(log);
    }

    /** A job nothing is known about yet. */
    static JobRecord unknown(String id) {
        return new JobRecord(
                id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(), 0,
                null);
    }

    /** The job id an event is about, or empty when the event is not about a job's status. */
    static Optional<String> jobIdOf(ConnectorEvent event) {
        return Optional.ofNullable(
                switch (event) {
                    case JobCreated e -> e.jobId();
                    case JobProvisioning e -> e.jobId();
                    case JobStarted e -> e.jobId();
                    case JobProgressed e -> e.jobId();
                    case JobSucceeded e -> e.jobId();
                    case JobFailed e -> e.jobId();
                    case JobCancelled e -> e.jobId();
                    case JobCancelRequested e -> e.jobId();
                    default -> null;
                });
    }

    /** Where the job is, derived from what is known: a final state if any, else the furthest one reached. */
    JobState state() {
        if (outcome != null) {
            return outcome.state();
        }
        if (startedAt != null || progress != null) {
            return JobState.RUNNING;
        }
        return provisioningAt != null ? JobState.PROVISIONING : JobState.QUEUED;
    }

    boolean finished() {
        return outcome != null;
    }

    /** What the job's progress counts: as its latest report says, else its start, else bytes (older producers). */
    String unit() {
        return ProgressUnits.orBytes(progress != null && progress.unit() != null ? progress.unit() : unitAtStart);
    }

    /** Whether {@link JobCreated} has arrived; until then the API does not show the job. */
    boolean created() {
        return kind != null;
    }

    /**
     * This record with the event's fact added, or this very record when the event adds nothing (a
     * duplicate, a progress report older than the one known, a second terminal event).
     */
    JobRecord apply(ConnectorEvent event, Instant at) {
        return switch (event) {
            case JobCreated e ->
                created()
                        ? this
                        : new JobRecord(
                                id,
                                e.kind(),
                                e.vaultId(),
                                e.assetId(),
                                e.recoveryPointId(),
                                e.policyId(),
                                e.runId(),
                                at,
                                provisioningAt,
                                startedAt,
                                bytesTotalAtStart,
                                unitAtStart,
                                progress,
                                outcome,
                                cancelRequestedAt,
                                logged(at, "created", null),
                                version,
                                updatedAt);
            case JobProvisioning e ->
                provisioningAt != null
                        ? this
                        : new JobRecord(
                                id,
                                kind,
                                vaultId,
                                assetId,
                                recoveryPointId,
                                policyId,
                                runId,
                                createdAt,
                                at,
                                startedAt,
                                bytesTotalAtStart,
                                unitAtStart,
                                progress,
                                outcome,
                                cancelRequestedAt,
                                logged(at, "provisioning", null),
                                version,
                                updatedAt);
            case JobStarted e ->
                startedAt != null
                        ? this
                        : new JobRecord(
                                id,
                                kind,
                                vaultId,
                                assetId,
                                recoveryPointId,
                                policyId,
                                runId,
                                createdAt,
                                provisioningAt,
                                at,
                                e.bytesTotal(),
                                e.unit(),
                                progress,
                                outcome,
                                cancelRequestedAt,
                                logged(at, "started", null),
                                version,
                                updatedAt);
            case JobProgressed e ->
                (progress != null && progress.sequence() >= e.sequence()
                                ? this
                                : new JobRecord(
                                        id,
                                        kind,
                                        vaultId,
                                        assetId,
                                        recoveryPointId,
                                        policyId,
                                        runId,
                                        createdAt,
                                        provisioningAt,
                                        startedAt,
                                        bytesTotalAtStart,
                                        unitAtStart,
                                        new Progress(
                                                e.sequence(),
                                                e.bytesDone(),
                                                e.bytesTotal(),
                                                at,
                                                e.unit(),
                                                e.secondary()),
                                        outcome,
                                        cancelRequestedAt,
                                        log,
                                        version,
                                        updatedAt))
                        .withPhases(e.phases());
            case JobSucceeded e -> finish(new Outcome(JobState.SUCCEEDED, at, null, e.result()), null);
            case JobFailed e ->
                finish(
                        new Outcome(JobState.FAILED, at, new JobError(e.code(), e.message()), null),
                        e.code() + ": " + e.message());
            case JobCancelled e -> finish(new Outcome(JobState.CANCELLED, at, null, null), null);
            case JobCancelRequested e ->
                cancelRequestedAt != null || finished()
                        ? this
                        : new JobRecord(
                                id,
                                kind,
                                vaultId,
                                assetId,
                                recoveryPointId,
                                policyId,
                                runId,
                                createdAt,
                                provisioningAt,
                                startedAt,
                                bytesTotalAtStart,
                                unitAtStart,
                                progress,
                                outcome,
                                at,
                                logged(at, "cancel-requested", null),
                                version,
                                updatedAt);
            default -> this;
        };
    }

    private JobRecord finish(Outcome ending, @Nullable String detail) {
        if (finished()) {
            return this;
        }
        return new JobRecord(
                id,
                kind,
                vaultId,
                assetId,
                recoveryPointId,
                policyId,
                runId,
                createdAt,
                provisioningAt,
                startedAt,
                bytesTotalAtStart,
                unitAtStart,
                progress,
                ending,
                cancelRequestedAt,
                logged(ending.finishedAt(), ending.state().wireName(), detail),
                version,
                updatedAt);
    }

    /**
     * This record with the phases a progress report carries that the log lacks ({@code phase} entries; the same
     * phase, by name and start, is logged once however many reports carry it, and even after the job ended: the
     * report may arrive after the final event), or this very record when there are none.
     */
    private JobRecord withPhases(List<JobPhaseTiming> phases) {
        var entries = new ArrayList<>(log);
        for (var phase : phases) {
            if (entries.stream().noneMatch(entry -> entry.isPhase(phase.phase(), phase.startedAt()))) {
                entries.add(JobLogEntry.phase(phase.phase(), phase.startedAt(), phase.millis()));
            }
        }
        if (entries.size() == log.size()) {
            return this;
        }
        // A total order, so that the order the reports arrived in does not show.
        entries.sort(Comparator.comparing(JobLogEntry::time)
                .thenComparing(JobLogEntry::type)
                .thenComparing(JobLogEntry::millis, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(JobLogEntry::phase, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new JobRecord(
                id,
                kind,
                vaultId,
                assetId,
                recoveryPointId,
                policyId,
                runId,
                createdAt,
                provisioningAt,
                startedAt,
                bytesTotalAtStart,
                unitAtStart,
                progress,
                outcome,
                cancelRequestedAt,
                entries,
                version,
                updatedAt);
    }

    /** The log with one more entry, kept in time order so that the order events arrived in does not show. */
    private List<JobLogEntry> logged(Instant at, String type, @Nullable String detail) {
        var entries = new ArrayList<>(log);
        entries.add(new JobLogEntry(at, type, detail));
        entries.sort(Comparator.comparing(JobLogEntry::time).thenComparing(JobLogEntry::type));
        return entries;
    }

    /** The stored successor of this record: one version further, changed at {@code now}. */
    JobRecord stored(Instant now) {
        return new JobRecord(
                id,
                kind,
                vaultId,
                assetId,
                recoveryPointId,
                policyId,
                runId,
                createdAt,
                provisioningAt,
                startedAt,
                bytesTotalAtStart,
                unitAtStart,
                progress,
                outcome,
                cancelRequestedAt,
                log,
                version + 1,
                now);
    }

    /**
     * When the table may drop this record: {@code retention} after the job finished; for a job whose
     * creation never arrived, {@code retention} after its first event; never while a known job runs.
     */
    @Nullable
    Instant expiresAt(Duration retention) {
        if (outcome != null) {
            return outcome.finishedAt().plus(retention);
        }
        if (!created()) {
            Instant firstSeen = log.isEmpty() ? updatedAt : log.getFirst().time();
            return firstSeen == null ? null : firstSeen.plus(retention);
        }
        return null;
    }

    /** Whether the API shows this job at {@code now}: created, and not past its retention. */
    boolean visibleAt(Instant now, Duration retention) {
        Instant expiry = expiresAt(retention);
        return created() && (expiry == null || expiry.isAfter(now));
    }
}
