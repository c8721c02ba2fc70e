package io.cloudconnector.catalog.recoverypoint;

import java.time.Instant;
import java.util.List;

/**
 * The newest restore test of a recovery point, from background-jobs' {@code RecoveryPointRestoreTested}.
 *
 * @param recoveryTimeSeconds the measured time from the test's start to a usable restored snapshot
 * @param reasons what was wrong; empty when it passed
 * @param jobId the restore-test job
 */
public record RestoreTest(
        boolean passed, Instant testedAt, double recoveryTimeSeconds, List<String> reasons, String jobId) {

    public RestoreTest {
        reasons = List.copyOf(reasons);
    }
}
