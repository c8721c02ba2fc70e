package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A worker began running a job. {@code bytesTotal} is the total to do if known, counted in {@code unit}
 * ({@link ProgressUnits}); an event without a unit (from an older producer) counts bytes.
 */
public record JobStarted(
        String jobId,
        @Nullable Long bytesTotal,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String unit) implements ConnectorEvent {

    /** A start whose progress counts bytes. */
    public JobStarted(String jobId, @Nullable Long bytesTotal) {
        this(jobId, bytesTotal, null);
    }
}
