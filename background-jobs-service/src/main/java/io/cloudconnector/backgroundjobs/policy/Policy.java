package io.cloudconnector.backgroundjobs.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A protection policy as stored and served.
 *
 * @param version grows by one at every change; {@code PUT} needs it in {@code If-Match}
 * @param pausedReason {@code user} ({@code :pause} or {@code paused: true}) or {@code vault-deleted}; null while it
 *     runs
 * @param scheduleAnchor when the schedule was last set: a rate runs every interval from here
 * @param intervalMinutes the longest gap between two scheduled runs
 * @param restoreTest how often the newest point of each asset is restore-tested (absent: never)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Policy(
        String id,
        String name,
        String vaultId,
        Schedule schedule,
        Selection selection,
        @Nullable Retention retention,
        boolean scan,
        boolean paused,
        @Nullable String pausedReason,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant scheduleAnchor,
        long intervalMinutes,
        @Nullable RestoreTest restoreTest) {

    static final String PAUSED_BY_USER = "user";
    static final String PAUSED_VAULT_DELETED = "vault-deleted";

    record Schedule(String expression, String timezone, int startWindowMinutes) {

        ScheduleExpression parsed() {
            return ScheduleExpression.parse(expression, ZoneId.of(timezone));
        }
    }

    record Selection(List<String> assetIds, Map<String, String> tags, List<String> types) {

        Selection {
            assetIds = List.copyOf(assetIds);
            tags = Map.copyOf(tags);
            types = List.copyOf(types);
        }

        /** Whether an asset of this id, type and tags is selected. */
        boolean selects(String assetId, String type, Map<String, String> assetTags) {
            if (!types.isEmpty() && !types.contains(type)) {
                return false;
            }
            if (assetIds.contains(assetId)) {
                return true;
            }
            return !tags.isEmpty()
                    && tags.entrySet().stream().allMatch(t -> t.getValue().equals(assetTags.get(t.getKey())));
        }
    }

    /** {@code every}: an ISO-8601 duration such as {@code P7D}. */
    record RestoreTest(String every) {

        java.time.Duration interval() {
            return java.time.Duration.parse(every);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Retention(
            @Nullable Integer keepLast,
            @Nullable Integer keepHourly,
            @Nullable Integer keepDaily,
            @Nullable Integer keepWeekly,
            @Nullable Integer keepMonthly,
            @Nullable Integer keepYearly) {}

    Policy paused(boolean paused, @Nullable String reason, Instant now) {
        return new Policy(
                id,
                name,
                vaultId,
                schedule,
                selection,
                retention,
                scan,
                paused,
                paused ? reason : null,
                version + 1,
                createdAt,
                now,
                scheduleAnchor,
                intervalMinutes,
                restoreTest);
    }
}
