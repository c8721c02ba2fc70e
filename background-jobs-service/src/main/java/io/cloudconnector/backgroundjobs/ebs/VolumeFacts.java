package io.cloudconnector.backgroundjobs.ebs;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An EBS volume as EC2 describes it: what a restore needs to make an equivalent one.
 *
 * @param sourceSnapshotId the snapshot the volume was created from, if any
 */
public record VolumeFacts(
        String volumeId,
        long sizeGiB,
        String volumeType,
        @Nullable Integer iops,
        @Nullable Integer throughput,
        boolean encrypted,
        @Nullable String kmsKeyId,
        String availabilityZone,
        @Nullable String sourceSnapshotId,
        Map<String, String> tags) {

    public VolumeFacts {
        tags = Map.copyOf(tags);
    }
}
