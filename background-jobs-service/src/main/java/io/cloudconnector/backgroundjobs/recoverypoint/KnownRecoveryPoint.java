package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.backgroundjobs.ebs.InstanceFacts;
import io.cloudconnector.common.event.RecoveryPointKind;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A recovery point this service wrote, with what a restore and the next incremental backup need.
 *
 * @param instance the instance's metadata, for an EC2 recovery point
 * @param status available until it expires or is deleted (then it is forgotten in the vault)
 */
public record KnownRecoveryPoint(
        String id,
        String vaultId,
        String assetId,
        RecoveryPointKind kind,
        Instant createdAt,
        @Nullable String parentId,
        String jobId,
        long logicalBytes,
        List<BackedUpVolume> volumes,
        @Nullable InstanceFacts instance,
        RecoveryPointStatus status) {

    public KnownRecoveryPoint {
        volumes = List.copyOf(volumes);
    }

    /** Whether it can still be restored and serve as an incremental base. */
    public boolean available() {
        return status == RecoveryPointStatus.AVAILABLE;
    }
}
