package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One phase of a job's timeline — {@code queued}, {@code provisioning}, {@code running} — from when it began to when
 * the next one (or the end) did; {@code endedAt} and {@code seconds} are absent for the phase the job is in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPhase(
        String phase,
        Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable Long seconds) {

    static JobPhase of(String phase, Instant startedAt, @Nullable Instant endedAt) {
        // Producers' clocks differ a little: a phase never lasts less than nothing.
        Long seconds = endedAt == null
                ? null
                : Math.max(0, Duration.between(startedAt, endedAt).toMillis()) / 1000;
        return new JobPhase(phase, startedAt, endedAt, seconds);
    }
}
