package io.cloudconnector.inventory.protection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.inventory.asset.AssetProtection;
import io.cloudconnector.inventory.asset.ProtectionSummary;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RecoveryPointsTests {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void theNewestLiveRecoveryPointAndTheNewestCleanOne() {
        var summary = RecoveryPoints.summarize(List.of(
                rp("rp-1", T0, "clean", false),
                rp("rp-2", T0.plusSeconds(60), "infected", false),
                rp("rp-3", T0.plusSeconds(120), null, false),
                rp("rp-4", T0.plusSeconds(180), "clean", true)));

        assertThat(summary).isEqualTo(new ProtectionSummary("rp-3", T0.plusSeconds(120), "rp-1", T0));
    }

    @Test
    void aScanOrDeletionThatArrivedBeforeItsCreationIsNotARecoveryPoint() {
        var scannedOnly = new HashMap<String, AttributeValue>(
                Map.of(ServiceTable.SK, ServiceTable.s("RP#rp-9"), "verdict", ServiceTable.s("clean")));

        assertThat(RecoveryPoints.summarize(List.of(scannedOnly, rp("rp-8", T0, null, true))))
                .isEqualTo(ProtectionSummary.none());
    }

    @Test
    void theNewestLivePointWhoseNewestRestoreTestPassed() {
        Instant testedAt = T0.plusSeconds(3600);
        var proved = rp("rp-1", T0, null, false);
        proved.putAll(test(true, testedAt, "42.5"));
        var failed = rp("rp-2", T0.plusSeconds(60), null, false);
        failed.putAll(test(false, testedAt, "3.0"));
        var provedButDeleted = rp("rp-3", T0.plusSeconds(120), null, true);
        provedButDeleted.putAll(test(true, testedAt, "1.0"));
        var testedBeforeCreation =
                new HashMap<String, AttributeValue>(Map.of(ServiceTable.SK, ServiceTable.s("RP#rp-4")));
        testedBeforeCreation.putAll(test(true, testedAt, "1.0"));

        var summary = RecoveryPoints.summarize(List.of(proved, failed, provedButDeleted, testedBeforeCreation));

        assertThat(summary.lastRecoveryPointId()).isEqualTo("rp-2");
        assertThat(summary.lastTestedRecoveryPoint())
                .isEqualTo(new AssetProtection.TestedPoint("rp-1", T0, testedAt, 42.5));
    }

    private static Map<String, AttributeValue> test(boolean passed, Instant testedAt, String recoveryTimeSeconds) {
        return Map.of(
                "testPassed", AttributeValue.fromBool(passed),
                "testedAt", ServiceTable.n(testedAt.toEpochMilli()),
                "recoveryTimeSeconds", ServiceTable.s(recoveryTimeSeconds));
    }

    private static Map<String, AttributeValue> rp(
            String id, Instant createdAt, @Nullable String verdict, boolean deleted) {
        var item = new HashMap<String, AttributeValue>();
        item.put(ServiceTable.SK, ServiceTable.s("RP#" + id));
        item.put("createdAt", ServiceTable.n(createdAt.toEpochMilli()));
        if (verdict != null) {
            item.put("verdict", ServiceTable.s(verdict));
        }
        if (deleted) {
            item.put("deleted", AttributeValue.fromBool(true));
        }
        return item;
    }
}
