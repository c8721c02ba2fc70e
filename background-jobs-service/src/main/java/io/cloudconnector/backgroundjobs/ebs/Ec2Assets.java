package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BootModeValues;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceBootModeValues;
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
                        n.groups().stream().map(GroupIdentifier::groupId).toList(),
                        n.association() != null && n.association().publicIp() != null,
                        n.attachment() == null ? null : n.attachment().deleteOnTermination(),
                        n.description() == null || n.description().isEmpty() ? null : n.description()))
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
                attached,
                instance.iamInstanceProfile() == null
                        ? null
                        : instance.iamInstanceProfile().arn(),
                userData(ec2, instance.instanceId()),
                bootMode(ec2, instance),
                instance.tpmSupport(),
                instance.sriovNetSupport(),
                instance.placement().tenancyAsString(),
                instance.privateIpAddress(),
                instance.metadataOptions() == null
                        ? null
                        : new InstanceFacts.MetadataOptions(
                                instance.metadataOptions().httpTokensAsString(),
                                instance.metadataOptions().httpPutResponseHopLimit(),
                                instance.metadataOptions().httpEndpointAsString(),
                                instance.metadataOptions().httpProtocolIpv6AsString(),
                                instance.metadataOptions().instanceMetadataTagsAsString())));
    }

    /** The instance's user data (base64), which DescribeInstances does not return; null when it has none. */
    private static @Nullable String userData(Ec2Client ec2, String instanceId) {
        var value = ec2.describeInstanceAttribute(
                        b -> b.instanceId(instanceId).attribute(InstanceAttributeName.USER_DATA))
                .userData();
        return value == null || value.value() == null || value.value().isEmpty() ? null : value.value();
    }

    /** The boot mode the instance was launched with; EC2 leaves it unset when the image decides (then: the image's). */
    private static @Nullable String bootMode(Ec2Client ec2, Instance instance) {
        if (instance.bootMode() != null && instance.bootMode() != BootModeValues.UNKNOWN_TO_SDK_VERSION) {
            return instance.bootModeAsString();
        }
        if (instance.currentInstanceBootMode() != null
                && instance.currentInstanceBootMode() != InstanceBootModeValues.UNKNOWN_TO_SDK_VERSION) {
            return instance.currentInstanceBootModeAsString();
        }
        if (instance.imageId() == null) {
            return null;
        }
        // The image may be gone or another account's: its boot mode is then not known.
        return unlessMissing(() -> ec2.describeImages(b -> b.imageIds(instance.imageId())).images().stream()
                        .findFirst())
                .map(Image::bootModeAsString)
                .orElse(null);
    }

    /** Whether a private IPv4 address of a subnet is held by some network interface. */
    public boolean privateIpInUse(String region, String subnetId, String address) {
        return !clients.in(region)
                .ec2()
                .describeNetworkInterfaces(b -> b.filters(
                        f -> f.name("subnet-id").values(subnetId),
                        f -> f.name("addresses.private-ip-address").values(address)))
                .networkInterfaces()
                .isEmpty();
    }

    /** The subnets of a VPC in a zone, the zone's default subnet first. */
    public List<Subnet> subnetsInZone(String region, String vpcId, String zone) {
        return clients
                .in(region)
                .ec2()
                .describeSubnets(b -> b.filters(
                        f -> f.name("vpc-id").values(vpcId),
                        f -> f.name("availability-zone").values(zone)))
                .subnets()
                .stream()
                .sorted(Comparator.comparing((Subnet s) -> !Boolean.TRUE.equals(s.defaultForAz()))
                        .thenComparing(Subnet::subnetId))
                .toList();
    }

    /** The security groups among {@code groupIds} that exist, with their VPC. */
    public Map<String, String> securityGroupVpcs(String region, List<String> groupIds) {
        Map<String, String> found = new TreeMap<>();
        for (String id : groupIds) {
            unlessMissing(() ->
                            clients
                                    .in(region)
                                    .ec2()
                                    .describeSecurityGroups(b -> b.groupIds(id))
                                    .securityGroups()
                                    .stream()
                                    .findFirst())
                    .ifPresent(g -> found.put(g.groupId(), Objects.requireNonNullElse(g.vpcId(), "")));
        }
        return found;
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
