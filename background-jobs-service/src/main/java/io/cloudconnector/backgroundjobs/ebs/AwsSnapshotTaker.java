package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.model.CopyTagsFromSource;

/**
 * Snapshots through EC2: {@code CreateSnapshot} for a volume, {@code CreateSnapshots} for all of an instance's
 * volumes at one moment (crash-consistent across them); then waits for completion.
 */
final class AwsSnapshotTaker implements SnapshotTaker {

    private final AwsClients clients;
    private final Snapshots snapshots;

    AwsSnapshotTaker(AwsClients clients, Snapshots snapshots) {
        this.clients = clients;
        this.snapshots = snapshots;
    }

    @Override
    public Map<String, String> snapshot(
            String region,
            @Nullable String instanceId,
            List<VolumeFacts> volumes,
            Map<String, String> tags,
            Runnable checkpoint) {
        var ec2 = clients.in(region).ec2();
        Map<String, String> byVolume = new HashMap<>();
        if (instanceId != null) {
            var wanted = volumes.stream().map(VolumeFacts::volumeId).collect(Collectors.toSet());
            var response = ec2.createSnapshots(
                    b -> b.instanceSpecification(i -> i.instanceId(instanceId).excludeBootVolume(false))
                            .description("Cloud Connector backup of " + instanceId)
                            .tagSpecifications(Snapshots.tagSnapshots(tags))
                            .copyTagsFromSource(CopyTagsFromSource.VOLUME));
            response.snapshots().forEach(s -> byVolume.put(s.volumeId(), s.snapshotId()));
            // The instance may have gained a volume since it was described; only the described ones are backed up,
            // and the rest are not kept.
            var extra = byVolume.entrySet().stream()
                    .filter(e -> !wanted.contains(e.getKey()))
                    .map(Map.Entry::getValue)
                    .collect(Collectors.toSet());
            snapshots.deleteQuietly(region, extra);
            byVolume.keySet().retainAll(wanted);
            var missing = wanted.stream().filter(v -> !byVolume.containsKey(v)).toList();
            if (!missing.isEmpty()) {
                snapshots.deleteQuietly(region, byVolume.values());
                throw new IllegalStateException("Instance " + instanceId + " no longer has volumes " + missing);
            }
        } else {
            for (var volume : volumes) {
                var created = ec2.createSnapshot(b -> b.volumeId(volume.volumeId())
                        .description("Cloud Connector backup of " + volume.volumeId())
                        .tagSpecifications(Snapshots.tagSnapshots(tags)));
                byVolume.put(volume.volumeId(), created.snapshotId());
            }
        }
        try {
            snapshots.awaitCompleted(region, Set.copyOf(byVolume.values()), checkpoint);
        } catch (RuntimeException e) {
            snapshots.deleteQuietly(region, byVolume.values());
            throw e;
        }
        return byVolume;
    }
}
