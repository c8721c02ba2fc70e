package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.ScanVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an asset's protection status follows from the policies, its recovery points and the clock:
 *
 * <ul>
 *   <li>A policy <em>covers</em> an asset when its selection picks it (by id, or all its tags, within its
 *       types); a deleted asset is covered by none ({@code unprotected}, reason {@code asset-deleted}), an
 *       asset no policy selects is {@code unprotected} (reason {@code no-policy}).
 *   <li>Only paused policies select it: {@code at-risk}, reason {@code policy-paused} (nothing will back it up).
 *       A paused policy next to a running one changes nothing.
 *   <li>Otherwise the RPO is the shortest interval of the running policies, and the asset is {@code at-risk}
 *       with reason {@code no-recovery-point-within-twice-the-interval} when both its newest live recovery point
 *       and the time it became covered are more than twice the RPO ago (so a newly covered asset has two
 *       intervals to get its first point, and an old point does not make a newly covered asset at risk at once);
 *       and with reason {@code newest-scan-not-clean} when the newest scanned live point's verdict is not
 *       {@code clean}. Neither: {@code protected} (with reason {@code awaiting-first-recovery-point} while it has
 *       none yet).
 * </ul>
 */
final class ProtectionRules {

    static final String NO_POLICY = "no-policy";
    static final String ASSET_DELETED = "asset-deleted";
    static final String POLICY_PAUSED = "policy-paused";
    static final String TOO_OLD = "no-recovery-point-within-twice-the-interval";
    static final String SCAN_NOT_CLEAN = "newest-scan-not-clean";
    static final String AWAITING_FIRST = "awaiting-first-recovery-point";

    private ProtectionRules() {}

    /**
     * @param newestScanVerdict the verdict of the newest live recovery point that has one, null if none has
     * @param coveredSince when the inventory first saw a policy cover the asset; null: not yet (counts as now)
     */
    static AssetProtection evaluate(
            AssetFacts facts,
            ProtectionSummary summary,
            @Nullable String newestScanVerdict,
            @Nullable Instant coveredSince,
            List<CoveringPolicy> policies,
            Instant now) {
        AssetProtection.Point last = point(summary.lastRecoveryPointId(), summary.lastRecoveryPointAt());
        AssetProtection.Point lastClean = point(summary.lastCleanRecoveryPointId(), summary.lastCleanRecoveryPointAt());
        AssetProtection.@Nullable TestedPoint tested = summary.lastTestedRecoveryPoint();
        if (AssetStates.DELETED.equals(facts.state())) {
            return new AssetProtection(
                    AssetProtection.UNPROTECTED, List.of(), null, last, lastClean, tested, List.of(ASSET_DELETED));
        }
        List<CoveringPolicy> selecting = policies.stream()
                .filter(p -> p.selects(facts.id(), facts.type().wireName(), facts.tags()))
                .toList();
        if (selecting.isEmpty()) {
            return new AssetProtection(
                    AssetProtection.UNPROTECTED, List.of(), null, last, lastClean, tested, List.of(NO_POLICY));
        }
        List<String> policyIds =
                selecting.stream().map(CoveringPolicy::id).sorted().toList();
        List<CoveringPolicy> running =
                selecting.stream().filter(p -> !p.paused()).toList();
        List<String> reasons = new ArrayList<>();
        long rpo = (running.isEmpty() ? selecting : running)
                .stream().mapToLong(CoveringPolicy::intervalMinutes).min().orElseThrow();
        if (running.isEmpty()) {
            reasons.add(POLICY_PAUSED);
        } else {
            Instant reference = coveredSince == null ? now : coveredSince;
            Instant lastAt = summary.lastRecoveryPointAt();
            if (lastAt != null && lastAt.isAfter(reference)) {
                reference = lastAt;
            }
            if (reference.plus(Duration.ofMinutes(2 * rpo)).isBefore(now)) {
                reasons.add(TOO_OLD);
            }
        }
        if (newestScanVerdict != null && !ScanVerdict.CLEAN.wireName().equals(newestScanVerdict)) {
            reasons.add(SCAN_NOT_CLEAN);
        }
        if (reasons.isEmpty()) {
            return new AssetProtection(
                    AssetProtection.PROTECTED,
                    policyIds,
                    rpo,
                    last,
                    lastClean,
                    tested,
                    last == null ? List.of(AWAITING_FIRST) : List.of());
        }
        return new AssetProtection(AssetProtection.AT_RISK, policyIds, rpo, last, lastClean, tested, reasons);
    }

    private static AssetProtection.@Nullable Point point(@Nullable String id, @Nullable Instant at) {
        return id == null || at == null ? null : new AssetProtection.Point(id, at);
    }
}
