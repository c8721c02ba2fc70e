package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.sts.StsClient;

/** Reads EC2 and EBS assets: volumes, instances with their volumes, snapshots, zones, subnets; the account. */
@Component
public class Ec2Assets {

    private final AwsClients clients;
    private final StsClient sts;
    private volatile @Nullable String account;

    Ec2Assets(AwsClients clients, StsClient sts, JobsProperties properties) {
        this.clients = clients;
        this.sts = sts;
        this.account = properties.accountId();
    }

    /** The AWS account the connector runs in (GetCallerIdentity needs no permission); asked once. */
    public String accountId() {
        String known = account;
        if (known == null) {
            known = sts.getCallerIdentity().account();
            account = known;
        }
        return known;
    }

    /** A volume, unless it does not exist. */
    public Optional<VolumeFacts> volume(String region, String volumeId) {
        return unlessMissing(
                () -> clients.in(region).ec2().describeVolumes(b -> b.volumeIds(volumeId)).volumes().stream()
                        .findFirst()
                        .map(Ec2Assets::facts));
    }

    /** An instance that is not terminated, with its attached volumes, unless it does not exist. */
    public Optional<InstanceFacts> instance(String region, String instanceId) {
        var ec2 = clients.in(region).ec2();
        var found = unlessMissing(() -> ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                .flatMap(r -> r.instances().stream())
                .findFirst());
        if (found.isEmpty()
                || found.get().state() != null && found.get().state().name() == InstanceStateName.TERMINATED) {
            return Optional.empty();
        }
        var instance = found.get();
        var mappings = instance.blockDeviceMappings().stream()
                .filter(m -> m.ebs() != null)
                .sorted(Comparator.comparing(m -> m.deviceName()))
                .toList();
        List<String> volumeIds = mappings.stream().map(m -> m.ebs().volumeId()).toList();
        Map<String, VolumeFacts> volumes = new TreeMap<>();
        if (!volumeIds.isEmpty()) {
            ec2.describeVolumes(b -> b.volumeIds(volumeIds))
                    .volumes()
                    .forEach(v -> volumes.put(v.volumeId(), facts(v)));
        }
        var attached = mappings.stream()
                .filter(m -> volumes.containsKey(m.ebs().volumeId()))
                .map(m -> new InstanceFacts.AttachedVolume(
                        m.deviceName(),
                        Boolean.TRUE.equals(m.ebs().deleteOnTermination()),
                        java.util.Objects.requireNonNull(volumes.get(m.ebs().volumeId()))))
                .toList();
        var interfaces = instance.networkInterfaces().stream()
                .map(n -> new InstanceFacts.NetworkInterface(
                        n.networkInterfaceId(),
                        n.attachment() == null || n.attachment().deviceIndex() == null
                                ? 0
                                : n.attachment().deviceIndex(),
                        n.subnetId(),
                        n.privateIpAddress(),
                        n.groups().stream().map(GroupIdentifier::groupId).toList()))
                .sorted(Comparator.comparingInt(InstanceFacts.NetworkInterface::deviceIndex))
                .toList();
        return Optional.of(new InstanceFacts(
                instance.instanceId(),
                instance.instanceTypeAsString(),
                instance.imageId(),
                instance.subnetId(),
                instance.vpcId(),
                instance.placement().availabilityZone(),
                instance.securityGroups().stream().map(GroupIdentifier::groupId).toList(),
                tags(instance.tags()),
                instance.rootDeviceName() == null ? "/dev/xvda" : instance.rootDeviceName(),
                instance.architectureAsString(),
                instance.enaSupport(),
                instance.keyName(),
                interfaces,
                attached));
    }

    /** A snapshot, unless it does not exist. */
    public Optional<Snapshot> snapshot(String region, String snapshotId) {
        return unlessMissing(
                () -> clients.in(region).ec2().describeSnapshots(b -> b.snapshotIds(snapshotId)).snapshots().stream()
                        .findFirst());
    }

    /** Whether {@code zone} is an availability zone of {@code region}. */
    public boolean zoneExists(String region, String zone) {
        return clients.in(region).ec2().describeAvailabilityZones().availabilityZones().stream()
                .anyMatch(z -> zone.equals(z.zoneName()));
    }

    /** A subnet, unless it does not exist. */
    public Optional<Subnet> subnet(String region, String subnetId) {
        return unlessMissing(
                () -> clients.in(region).ec2().describeSubnets(b -> b.subnetIds(subnetId)).subnets().stream()
                        .findFirst());
    }

    static VolumeFacts facts(Volume v) {
        return new VolumeFacts(
                v.volumeId(),
                v.size() == null ? 0 : v.size(),
                v.volumeTypeAsString(),
                v.iops(),
                v.throughput(),
                Boolean.TRUE.equals(v.encrypted()),
                v.kmsKeyId(),
                v.availabilityZone(),
                v.snapshotId() == null || v.snapshotId().isEmpty() ? null : v.snapshotId(),
                tags(v.tags()));
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new TreeMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    /** EC2 answers a lookup of a missing or malformed id with an error, not an empty list. */
    private static <T> Optional<T> unlessMissing(Supplier<Optional<T>> lookup) {
        try {
            return lookup.get();
        } catch (Ec2Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (code != null && (code.endsWith(".NotFound") || code.endsWith(".Malformed"))) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
