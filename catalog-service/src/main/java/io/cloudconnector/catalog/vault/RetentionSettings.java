package io.cloudconnector.catalog.vault;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How many recovery points of each asset a vault keeps: the newest {@code keepLast}, and the newest
 * one in each of the last N days, ISO weeks, months and years that have one (UTC), as restic's
 * {@code forget} does. Zero disables a rule; at least one must be set.
 */
public record RetentionSettings(
        @Min(0) @Max(100_000) int keepLast,
        @Min(0) @Max(100_000) int keepDaily,
        @Min(0) @Max(100_000) int keepWeekly,
        @Min(0) @Max(100_000) int keepMonthly,
        @Min(0) @Max(1_000) int keepYearly) {

    /** Whether no rule is set. */
    public boolean isEmpty() {
        return keepLast + keepDaily + keepWeekly + keepMonthly + keepYearly == 0;
    }
}
