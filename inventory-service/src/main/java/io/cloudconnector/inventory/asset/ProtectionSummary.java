package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An asset's newest recovery point, newest one a scan found clean and newest one a restore test proved, as the
 * catalog's and background-jobs' events tell them. The tested point is shown under {@code protection} only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtectionSummary(
        @Nullable String lastRecoveryPointId,
        @Nullable Instant lastRecoveryPointAt,
        @Nullable String lastCleanRecoveryPointId,
        @Nullable Instant lastCleanRecoveryPointAt,
        @JsonIgnore AssetProtection.@Nullable TestedPoint lastTestedRecoveryPoint) {

    /** A summary without a tested point. */
    public ProtectionSummary(
            @Nullable String lastRecoveryPointId,
            @Nullable Instant lastRecoveryPointAt,
            @Nullable String lastCleanRecoveryPointId,
            @Nullable Instant lastCleanRecoveryPointAt) {
        this(lastRecoveryPointId, lastRecoveryPointAt, lastCleanRecoveryPointId, lastCleanRecoveryPointAt, null);
    }

    /** No recovery point at all. */
    public static ProtectionSummary none() {
        return new ProtectionSummary(null, null, null, null, null);
    }
}
