package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a job's event log: when (the time of the event that reported it) and what happened —
 * {@code created}, {@code provisioning}, {@code started}, {@code cancel-requested}, {@code succeeded},
 * {@code failed} (with the error as {@code detail}) or {@code cancelled} — or, as {@code phase}, a finished phase
 * of a run: its name ({@code phase}), its start ({@code time}) and its duration ({@code millis}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobLogEntry(
        Instant time,
        String type,
        @Nullable String detail,
        @Nullable String phase,
        @Nullable Long millis) {

    /** The type of a phase's entry. */
    public static final String PHASE = "phase";

    /** An entry that is not a phase. */
    public JobLogEntry(Instant time, String type, @Nullable String detail) {
        this(time, type, detail, null, null);
    }

    /** A finished phase of a run. */
    static JobLogEntry phase(String phase, Instant startedAt, long millis) {
        return new JobLogEntry(startedAt, PHASE, null, phase, millis);
    }

    /** Whether this entry is the phase {@code phase} that began at {@code startedAt}. */
    boolean isPhase(String phase, Instant startedAt) {
        return PHASE.equals(type) && phase.equals(this.phase) && time.equals(startedAt);
    }
}
