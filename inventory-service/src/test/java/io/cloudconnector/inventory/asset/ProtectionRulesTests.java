package io.cloudconnector.inventory.asset;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ProtectionRulesTests {

    private static final String ID = "aws:ebs:123456789012:us-east-1:vol-1";
    private static final AssetFacts VOLUME =
            new AssetFacts(ID, AssetType.EBS, "in-use", "us-east-1a", 8L, null, Map.of("backup", "daily"), List.of());
    private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    @Test
    void anAssetNoPolicySelectsIsUnprotected() {
        var byOtherTag = policy("pol-1", 60, false, List.of(), Map.of("backup", "weekly"), List.of());
        var otherType = policy("pol-2", 60, false, List.of(), Map.of("backup", "daily"), List.of("ec2"));
        var onlyOneTag = policy("pol-3", 60, false, List.of(), Map.of("backup", "daily", "env", "prod"), List.of());
        var result = evaluate(ProtectionSummary.none(), null, null, List.of(byOtherTag, otherType, onlyOneTag));
        assertThat(result.status()).isEqualTo("unprotected");
        assertThat(result.reasons()).containsExactly("no-policy");
        assertThat(result.policyIds()).isEmpty();
        assertThat(result.rpoMinutes()).isNull();
    }

    @Test
    void aNewlyCoveredAssetHasTwoIntervalsForItsFirstPoint() {
        var policies = List.of(
                policy("pol-b", 240, false, List.of(), Map.of("backup", "daily"), List.of("ebs")),
                policy("pol-a", 60, false, List.of(ID), Map.of(), List.of()));
        var fresh = evaluate(ProtectionSummary.none(), null, START, policies);
        assertThat(fresh.status()).isEqualTo("protected");
        assertThat(fresh.policyIds()).containsExactly("pol-a", "pol-b");
        assertThat(fresh.rpoMinutes()).isEqualTo(60);
        assertThat(fresh.reasons()).containsExactly("awaiting-first-recovery-point");

        clock.advance(Duration.ofMinutes(120));
        assertThat(evaluate(ProtectionSummary.none(), null, START, policies).status())
                .isEqualTo("protected");
        clock.advance(Duration.ofMinutes(1));
        var late = evaluate(ProtectionSummary.none(), null, START, policies);
        assertThat(late.status()).isEqualTo("at-risk");
        assertThat(late.reasons()).containsExactly("no-recovery-point-within-twice-the-interval");
    }

    @Test
    void aPointOlderThanTwiceTheIntervalMakesItAtRisk() {
        var policies = List.of(policy("pol-a", 60, false, List.of(ID), Map.of(), List.of()));
        Instant coveredLongAgo = START.minus(Duration.ofDays(2));
        var recent = summary(START.minus(Duration.ofMinutes(119)));
        var ok = evaluate(recent, "clean", coveredLongAgo, policies);
        assertThat(ok.status()).isEqualTo("protected");
        assertThat(ok.reasons()).isEmpty();
        assertThat(ok.lastRecoveryPoint())
                .isEqualTo(new AssetProtection.Point("rp-1", START.minus(Duration.ofMinutes(119))));
        assertThat(ok.lastCleanRecoveryPoint()).isEqualTo(ok.lastRecoveryPoint());

        clock.advance(Duration.ofMinutes(2));
        var old = evaluate(recent, "clean", coveredLongAgo, policies);
        assertThat(old.status()).isEqualTo("at-risk");
        assertThat(old.reasons()).containsExactly("no-recovery-point-within-twice-the-interval");

        // An old point of an asset covered just now: the new policy gets its two intervals.
        assertThat(evaluate(recent, "clean", clock.instant(), policies).status())
                .isEqualTo("protected");
    }

    @Test
    void aNewestScanThatIsNotCleanMakesItAtRisk() {
        var policies = List.of(policy("pol-a", 60, false, List.of(ID), Map.of(), List.of()));
        var result = evaluate(summary(START), "infected", START, policies);
        assertThat(result.status()).isEqualTo("at-risk");
        assertThat(result.reasons()).containsExactly("newest-scan-not-clean");
        clock.advance(Duration.ofHours(3));
        assertThat(evaluate(summary(START), "suspicious", START, policies).reasons())
                .containsExactly("no-recovery-point-within-twice-the-interval", "newest-scan-not-clean");
    }

    @Test
    void pausedPoliciesAloneLeaveItAtRiskButNotNextToARunningOne() {
        var paused = policy("pol-p", 15, true, List.of(ID), Map.of(), List.of());
        var running = policy("pol-r", 60, false, List.of(), Map.of("backup", "daily"), List.of());
        var onlyPaused = evaluate(summary(START), "clean", START, List.of(paused));
        assertThat(onlyPaused.status()).isEqualTo("at-risk");
        assertThat(onlyPaused.reasons()).containsExactly("policy-paused");
        assertThat(onlyPaused.rpoMinutes()).isEqualTo(15);

        var both = evaluate(summary(START), "clean", START, List.of(paused, running));
        assertThat(both.status()).isEqualTo("protected");
        assertThat(both.policyIds()).containsExactly("pol-p", "pol-r");
        assertThat(both.rpoMinutes()).isEqualTo(60);
    }

    @Test
    void aDeletedAssetIsUnprotected() {
        var deleted =
                new AssetFacts(ID, AssetType.EBS, "deleted", null, 8L, null, Map.of("backup", "daily"), List.of());
        var result = ProtectionRules.evaluate(
                deleted,
                summary(START),
                null,
                START,
                List.of(policy("pol-a", 60, false, List.of(ID), Map.of(), List.of())),
                clock.instant());
        assertThat(result.status()).isEqualTo("unprotected");
        assertThat(result.reasons()).containsExactly("asset-deleted");
        assertThat(result.lastRecoveryPoint()).isNotNull();
    }

    @Test
    void theNewestScanVerdictIsThatOfTheNewestLiveScannedPoint() {
        var olderClean = point("rp-1", 1_000, "clean", false);
        var newerInfectedButDeleted = point("rp-2", 2_000, "infected", true);
        var newestUnscanned = point("rp-3", 3_000, null, false);
        assertThat(ProtectionStatuses.newestScanVerdict(List.of(newestUnscanned, newerInfectedButDeleted, olderClean)))
                .isEqualTo("clean");
        var newerSuspicious = point("rp-4", 2_500, "suspicious", false);
        assertThat(ProtectionStatuses.newestScanVerdict(List.of(olderClean, newerSuspicious, newestUnscanned)))
                .isEqualTo("suspicious");
        assertThat(ProtectionStatuses.newestScanVerdict(List.of(newestUnscanned)))
                .isNull();
    }

    private AssetProtection evaluate(
            ProtectionSummary summary,
            @org.jspecify.annotations.Nullable String verdict,
            @org.jspecify.annotations.Nullable Instant coveredSince,
            List<CoveringPolicy> policies) {
        return ProtectionRules.evaluate(VOLUME, summary, verdict, coveredSince, policies, clock.instant());
    }

    private static ProtectionSummary summary(Instant at) {
        return new ProtectionSummary("rp-1", at, "rp-1", at);
    }

    private static CoveringPolicy policy(
            String id,
            long interval,
            boolean paused,
            List<String> assetIds,
            Map<String, String> tags,
            List<String> types) {
        return new CoveringPolicy(id, 1, interval, paused, assetIds, tags, types);
    }

    private static Map<String, AttributeValue> point(
            String id, long createdAt, @org.jspecify.annotations.Nullable String verdict, boolean deleted) {
        var item = new java.util.HashMap<String, AttributeValue>();
        item.put("sk", AttributeValue.fromS("RP#" + id));
        item.put("createdAt", AttributeValue.fromN(Long.toString(createdAt)));
        if (verdict != null) {
            item.put("verdict", AttributeValue.fromS(verdict));
        }
        if (deleted) {
            item.put("deleted", AttributeValue.fromBool(true));
        }
        return item;
    }
}
