package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An asset's newest recovery point and newest one a scan found clean, as the catalog's events tell them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtectionSummary(
        @Nullable String lastRecoveryPointId,
        @Nullable Instant lastRecoveryPointAt,
        @Nullable String lastCleanRecoveryPointId,
        @Nullable Instant lastCleanRecoveryPointAt) {

    /** No recovery point at all. */
    public static ProtectionSummary none() {
        return new ProtectionSummary(null, null, null, null);
    }
}
