package io.cloudconnector.backgroundjobs.restoretest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.ConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A policy's restore-test cadence: which assets are due, and what a run starts and records. */
class RestoreTestCadenceTests {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);
    private static final String VAULT = "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4";
    private static final String DUE = "aws:ebs:123456789012:us-east-1:vol-0000000000000000a";
    private static final String RECENT = "aws:ebs:123456789012:us-east-1:vol-0000000000000000b";
    private static final String UNBACKED = "aws:ebs:123456789012:us-east-1:vol-0000000000000000c";
    private static final String REFUSED = "aws:ebs:123456789012:us-east-1:vol-0000000000000000d";

    private final RestoreTestService tests = mock(RestoreTestService.class);
    private final RecoveryPointStore points = mock(RecoveryPointStore.class);
    private final ServiceTable table = mock(ServiceTable.class);
    private final RestoreTestCadence cadence =
            new RestoreTestCadence(tests, points, table, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anAssetIsDueWhenItsLastTestIsAtLeastThePeriodOld() {
        assertThat(RestoreTestCadence.due(null, WEEK, NOW)).isTrue();
        assertThat(RestoreTestCadence.due(NOW.minus(WEEK), WEEK, NOW)).isTrue();
        assertThat(RestoreTestCadence.due(NOW.minus(WEEK).minusSeconds(1), WEEK, NOW))
                .isTrue();
        assertThat(RestoreTestCadence.due(NOW.minus(WEEK).plusSeconds(1), WEEK, NOW))
                .isFalse();
        assertThat(RestoreTestCadence.due(NOW, WEEK, NOW)).isFalse();
    }

    @Test
    void aRunTestsTheNewestPointOfEachDueAssetAndRecordsIt() {
        when(table.get(anyString(), eq("LAST"))).thenReturn(Optional.empty());
        when(table.get("RESTORE_TEST_CADENCE#" + RECENT, "LAST"))
                .thenReturn(Optional.of(Map.of(
                        "startedAt",
                        AttributeValue.fromS(NOW.minus(Duration.ofDays(2)).toString()))));
        when(points.latestAvailable(eq(VAULT), anyString())).thenReturn(Optional.empty());
        when(points.latestAvailable(VAULT, DUE)).thenReturn(Optional.of(point("rp-due", DUE)));
        when(points.latestAvailable(VAULT, RECENT)).thenReturn(Optional.of(point("rp-recent", RECENT)));
        when(points.latestAvailable(VAULT, REFUSED)).thenReturn(Optional.of(point("rp-refused", REFUSED)));
        when(tests.startForPolicy("rp-due", "pol-1", "run-1")).thenReturn(new JobAdmission.JobAccepted("j-due"));
        when(tests.startForPolicy("rp-refused", "pol-1", "run-1"))
                .thenThrow(new ConflictException("recoveryPointId", "not complete in its vault"));

        var started = cadence.run("pol-1", VAULT, WEEK, "run-1", List.of(DUE, RECENT, UNBACKED, REFUSED));

        assertThat(started).containsExactly(new RestoreTestCadence.Started(DUE, "rp-due", "j-due"));
        verify(tests, never()).startForPolicy(eq("rp-recent"), any(), any());
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Map<String, AttributeValue>> written = ArgumentCaptor.forClass(Map.class);
        verify(table).put(written.capture());
        Map<String, AttributeValue> item = new HashMap<>(written.getValue());
        assertThat(item.get("pk").s()).isEqualTo("RESTORE_TEST_CADENCE#" + DUE);
        assertThat(item.get("startedAt").s()).isEqualTo(NOW.toString());
        assertThat(item.get("recoveryPointId").s()).isEqualTo("rp-due");
        assertThat(item.get("jobId").s()).isEqualTo("j-due");
    }

    private static KnownRecoveryPoint point(String id, String assetId) {
        return new KnownRecoveryPoint(
                id,
                VAULT,
                assetId,
                RecoveryPointKind.EBS,
                NOW.minusSeconds(3600),
                null,
                "j-backup",
                1L << 30,
                List.of(),
                null,
                RecoveryPointStatus.AVAILABLE);
    }
}
