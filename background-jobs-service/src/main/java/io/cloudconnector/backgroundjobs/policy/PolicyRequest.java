package io.cloudconnector.backgroundjobs.policy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/policies} and {@code PUT /v1/policies/{id}}: every field is checked by
 * {@link PolicyValidator}, which names each one at fault.
 */
record PolicyRequest(
        @Nullable String name,
        @Nullable String vaultId,
        @Nullable Schedule schedule,
        @Nullable Selection selection,
        @Nullable Retention retention,
        @Nullable Boolean scan,
        @Nullable Boolean paused,
        @Nullable RestoreTest restoreTest) {

    /** How often the newest point of each asset is restore-tested: {@code every}, an ISO-8601 duration. */
    record RestoreTest(@Nullable String every) {}

    /** When it runs: {@code expression} in EventBridge Scheduler syntax, in {@code timezone}. */
    record Schedule(
            @Nullable String expression,
            @Nullable String timezone,
            @Nullable Integer startWindowMinutes) {}

    /** Which assets: by id, by tags (all must match), limited to types. */
    record Selection(
            @Nullable List<String> assetIds,
            @Nullable Map<String, String> tags,
            @Nullable List<String> types) {}

    /** How many of the policy's recovery points are kept, as restic's and AWS Backup's rules count them. */
    record Retention(
            @Nullable Integer keepLast,
            @Nullable Integer keepHourly,
            @Nullable Integer keepDaily,
            @Nullable Integer keepWeekly,
            @Nullable Integer keepMonthly,
            @Nullable Integer keepYearly) {}
}
