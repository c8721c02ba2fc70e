package io.cloudconnector.integrity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An integrity report as the API lists it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(
        String id,
        ReportKind kind,
        Outcome outcome,
        @Nullable String recoveryPointId,
        Instant createdAt) {
}
