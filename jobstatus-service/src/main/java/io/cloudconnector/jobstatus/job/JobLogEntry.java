package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a job's event log: when (the time of the event that reported it) and what happened —
 * {@code created}, {@code provisioning}, {@code started}, {@code cancel-requested}, {@code succeeded},
 * {@code failed} (with the error as {@code detail}) or {@code cancelled}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobLogEntry(
        Instant time, String type, @Nullable String detail) {}
