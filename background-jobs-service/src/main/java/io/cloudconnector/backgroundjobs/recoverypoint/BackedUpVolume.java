package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.backgroundjobs.ebs.VolumeFacts;
import org.jspecify.annotations.Nullable;

/**
 * One volume of a recovery point: what it was, the snapshot that was read, and where its blocks start in the
 * recovery point (an instance's volumes are stored one after the other as one block device).
 *
 * @param deviceName where it was attached (null for a volume backed up on its own)
 * @param snapshotOwned whether the connector took the snapshot (and may delete it); a tenant's own is never deleted
 * @param firstBlock the index of its first 512 KiB block in the recovery point
 */
public record BackedUpVolume(
        VolumeFacts volume,
        @Nullable String deviceName,
        boolean deleteOnTermination,
        String snapshotId,
        boolean snapshotOwned,
        long firstBlock) {

    /** Its size in bytes. */
    public long sizeBytes() {
        return volume.sizeGiB() << 30;
    }
}
