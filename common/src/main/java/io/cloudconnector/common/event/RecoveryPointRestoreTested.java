package io.cloudconnector.common.event;

import java.time.Instant;
import java.util.List;

/**
 * A restore test of a recovery point finished: the point was restored into scratch resources, verified and the
 * scratch deleted.
 *
 * @param passed whether every block matched, every readable file system was walked and the sampled files matched
 * @param recoveryTimeSeconds the measured time from the test's start to a usable restored snapshot (0 when the restore
 *     itself failed)
 * @param reasons what was wrong; empty when it passed
 */
public record RecoveryPointRestoreTested(
        String recoveryPointId,
        String vaultId,
        String assetId,
        String jobId,
        boolean passed,
        Instant testedAt,
        double recoveryTimeSeconds,
        List<String> reasons)
        implements ConnectorEvent {

    public RecoveryPointRestoreTested {
        reasons = List.copyOf(reasons);
    }
}
