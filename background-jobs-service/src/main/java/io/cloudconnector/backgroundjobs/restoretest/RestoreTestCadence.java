package io.cloudconnector.backgroundjobs.restoretest;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A policy's {@code restoreTest: {every}}: at each run of the policy, every selected asset whose last restore test was
 * started longer than {@code every} ago (or never) gets one of its newest available point in the policy's vault. When
 * an asset's test was last started is kept per asset ({@code RESTORE_TEST_CADENCE#<assetId>}), so two policies of the
 * same asset do not test it twice in one period. A point that cannot be tested (409) is logged and left for the next
 * run; the backups of the run are never held up by it.
 */
@Service
public class RestoreTestCadence {

    private static final Logger log = LoggerFactory.getLogger(RestoreTestCadence.class);
    private static final String SK = "LAST";

    private final RestoreTestService tests;
    private final RecoveryPointStore points;
    private final ServiceTable table;
    private final Clock clock;

    RestoreTestCadence(RestoreTestService tests, RecoveryPointStore points, ServiceTable table, Clock clock) {
        this.tests = tests;
        this.points = points;
        this.table = table;
        this.clock = clock;
    }

    /** A restore test started by a run: the asset, the point tested, the job. */
    public record Started(String assetId, String recoveryPointId, String jobId) {}

    /** Whether an asset last tested at {@code last} (null: never) is due at {@code now}. */
    static boolean due(@Nullable Instant last, Duration every, Instant now) {
        return last == null || !last.plus(every).isAfter(now);
    }

    /** Starts the restore tests that are due among {@code assetIds}; returns those it started. */
    public List<Started> run(String policyId, String vaultId, Duration every, String runId, List<String> assetIds) {
        List<Started> started = new ArrayList<>();
        var now = clock.instant();
        for (String assetId : assetIds) {
            try {
                var last = table.get(pk(assetId), SK)
                        .map(item -> Items.instant(item, "startedAt"))
                        .orElse(null);
                if (!due(last, every, now)) {
                    continue;
                }
                var newest = points.latestAvailable(vaultId, assetId);
                if (newest.isEmpty()) {
                    continue;
                }
                var accepted = tests.startForPolicy(newest.get().id(), policyId, runId);
                var item = ServiceTable.item(pk(assetId), SK);
                item.put("startedAt", s(now.toString()));
                item.put("recoveryPointId", s(newest.get().id()));
                item.put("jobId", s(accepted.jobId()));
                table.put(item);
                started.add(new Started(assetId, newest.get().id(), accepted.jobId()));
            } catch (ApiException e) {
                log.info("Run {} of {}: no restore test of {}: {}", runId, policyId, assetId, e.getMessage());
            } catch (RuntimeException e) {
                log.warn(
                        "Run {} of {}: the restore test of {} was not started: {}",
                        runId,
                        policyId,
                        assetId,
                        e.toString());
            }
        }
        return started;
    }

    private static String pk(String assetId) {
        return "RESTORE_TEST_CADENCE#" + assetId;
    }
}
