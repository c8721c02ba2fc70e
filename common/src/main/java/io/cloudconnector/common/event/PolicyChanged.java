package io.cloudconnector.common.event;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A protection policy was created or changed (paused and resumed included): what the inventory needs to tell which
 * assets it covers and how old their newest recovery point may be, and what the catalog needs to expire the policy's
 * recovery points by its own rules.
 *
 * @param version the policy's version; a consumer keeps the highest it has seen
 * @param intervalMinutes the longest gap between two runs of the schedule
 * @param pausedReason why it is paused ({@code user}, {@code vault-deleted}), null while it runs
 * @param assetIds assets selected by id
 * @param tags tags an asset must all carry to be selected
 * @param types asset types ({@code ebs}, {@code ec2}) the selection is limited to; empty for every type
 * @param retention how many of the policy's recovery points are kept; null from a publisher that did not say
 */
public record PolicyChanged(
        String policyId,
        long version,
        String name,
        String vaultId,
        long intervalMinutes,
        boolean paused,
        @Nullable String pausedReason,
        boolean scan,
        List<String> assetIds,
        Map<String, String> tags,
        List<String> types,
        @Nullable Retention retention)
        implements ConnectorEvent {

    public PolicyChanged {
        assetIds = List.copyOf(assetIds);
        tags = Map.copyOf(tags);
        types = List.copyOf(types);
    }

    /** A policy change that says nothing of its retention. */
    public PolicyChanged(
            String policyId,
            long version,
            String name,
            String vaultId,
            long intervalMinutes,
            boolean paused,
            @Nullable String pausedReason,
            boolean scan,
            List<String> assetIds,
            Map<String, String> tags,
            List<String> types) {
        this(
                policyId,
                version,
                name,
                vaultId,
                intervalMinutes,
                paused,
                pausedReason,
                scan,
                assetIds,
                tags,
                types,
                null);
    }

    /**
     * The policy's retention rules, per asset as restic's {@code forget} applies them: the newest {@code keepLast},
     * and the newest point of each of the last N hours, days, ISO weeks, months and years (UTC). Zero disables a
     * rule.
     */
    public record Retention(
            int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly) {

        /** Whether no rule is set. */
        public boolean isEmpty() {
            return keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly == 0;
        }
    }
}
