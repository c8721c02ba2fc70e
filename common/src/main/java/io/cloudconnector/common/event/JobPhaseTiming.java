package io.cloudconnector.common.event;

import java.time.Duration;
import java.time.Instant;
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

    /** The phase from {@code startedAt} to {@code endedAt} (a clock that steps back gives 0 ms, never less). */
    public static JobPhaseTiming between(String phase, Instant startedAt, Instant endedAt) {
        return new JobPhaseTiming(
                phase,
                startedAt,
                Math.max(0, Duration.between(startedAt, endedAt).toMillis()));
    }

    /** When the phase ended. */
    public Instant endedAt() {
        return startedAt.plusMillis(millis);
    }
}
