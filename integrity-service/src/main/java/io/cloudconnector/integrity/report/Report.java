package io.cloudconnector.integrity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.ScanVerdict;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An integrity report: an account check run ({@code details.checks}) or a recovery-point scan
 * ({@code details} is the scan report, with the {@code verdict} also at the top). Lists leave
 * {@code details} out; {@code GET /v1/integrity/reports/{id}} has them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(
        String id,
        ReportKind kind,
        Outcome outcome,
        @Nullable ScanVerdict verdict,
        @Nullable String recoveryPointId,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String jobId,
        Instant createdAt,
        @Nullable Map<String, Object> details) {

    /** This report without its details, as lists show it. */
    Report summary() {
        return new Report(id, kind, outcome, verdict, recoveryPointId, vaultId, assetId, jobId, createdAt, null);
    }

    /** The outcome that stands for a scan verdict: clean passes, infected fails, the rest warn. */
    public static Outcome outcomeOf(ScanVerdict verdict) {
        return switch (verdict) {
            case CLEAN -> Outcome.PASS;
            case INFECTED -> Outcome.FAIL;
            case SUSPICIOUS, UNREADABLE, UNKNOWN -> Outcome.WARN;
        };
    }
}
