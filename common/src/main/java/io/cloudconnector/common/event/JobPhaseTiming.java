package io.cloudconnector.common.event;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One finished phase of a job's run — where its time went: {@code phase} (a lower-case name with dashes, {@link
 * JobPhases} for backups), when it began (the producer's clock) and how long it took, in milliseconds. A job's
 * {@code JobProgressed} reports carry the phases its run finished so far ({@link JobProgressed#phases}); a phase is
 * the same phase in every report that carries it (same name, same start), which is what consumers deduplicate on.
 */
public record JobPhaseTiming(String phase, Instant startedAt, long millis) {

    public JobPhaseTiming {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(startedAt, "startedAt");
        if (millis < 0) {
            throw new IllegalArgumentException("A phase cannot last " + millis + " ms");
        }
    }

    /**
     * The phase from {@code startedAt} to {@code endedAt}, both to the millisecond (so that a phase that begins where
     * another ended begins at its {@link #endedAt}); a clock that steps back gives 0 ms, never less.
     */
    public static JobPhaseTiming between(String phase, Instant startedAt, Instant endedAt) {
        var start = startedAt.truncatedTo(ChronoUnit.MILLIS);
        var end = endedAt.truncatedTo(ChronoUnit.MILLIS);
        return new JobPhaseTiming(
                phase, start, Math.max(0, Duration.between(start, end).toMillis()));
    }

    /** When the phase ended. */
    public Instant endedAt() {
        return startedAt.plusMillis(millis);
    }
}
