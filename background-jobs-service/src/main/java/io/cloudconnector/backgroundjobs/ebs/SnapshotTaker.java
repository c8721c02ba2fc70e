package io.cloudconnector.backgroundjobs.ebs;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Takes the snapshots a backup reads. */
public interface SnapshotTaker {

    /**
     * Snapshots {@code volumes} and waits until they are completed; with an {@code instanceId}, all of the
     * instance's volumes at the same moment (crash-consistent).
     *
     * @param tags put on every snapshot (they mark the snapshots as the connector's own)
     * @param checkpoint called while waiting; throws to stop (a cancelled job)
     * @return the snapshot of each volume, by volume id
     */
    Map<String, String> snapshot(
            String region,
            @Nullable String instanceId,
            List<VolumeFacts> volumes,
            Map<String, String> tags,
            Runnable checkpoint);
}
