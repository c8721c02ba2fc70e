package io.cloudconnector.backgroundjobs.restore;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.ebs.BlockTransfers;
import io.cloudconnector.backgroundjobs.ebs.Ec2Assets;
import io.cloudconnector.backgroundjobs.ebs.InstanceFacts;
import io.cloudconnector.backgroundjobs.ebs.Snapshots;
import io.cloudconnector.backgroundjobs.job.JobContext;
import io.cloudconnector.backgroundjobs.job.JobFailure;
import io.cloudconnector.backgroundjobs.job.JobWork;
import io.cloudconnector.backgroundjobs.recoverypoint.BackedUpVolume;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.recoverypoint.RestoreSource;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Restores a recovery point. Every volume is written into a new EBS snapshot through the EBS direct APIs (only
 * non-zero blocks, each with its SHA-256; completed with the aggregate checksum); then, by target:
 * {@code ebs-snapshot} is done; {@code ebs-volume} creates a volume from it in the requested zone; {@code
 * ec2-instance} registers an image from the snapshots with the original block device mapping and boot settings and
 * launches an instance with the original's settings (type, profile, user data, key, interfaces, placement, metadata
 * options, tags; zone, subnet, type, security groups, KMS key and public address overridable), then deregisters the
 * image and deletes its snapshots unless asked to keep them. What a restore makes is tagged with the job and
 * recovery point; a failed run deletes the snapshots and image it made.
 */
@Component
class RestoreWork implements JobWork {

    private static final Logger log = LoggerFactory.getLogger(RestoreWork.class);
    private static final Set<String> TYPES_WITH_IOPS = Set.of("io1", "io2", "gp3");

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final BlockTransfers transfers;
    private final Snapshots snapshots;
    private final Ec2Assets assets;
    private final AwsClients clients;

    RestoreWork(
            RecoveryPointStore points,
            VaultDirectory vaults,
            VaultRepositories repositories,
            BlockTransfers transfers,
            Snapshots snapshots,
            Ec2Assets assets,
            AwsClients clients) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.transfers = transfers;
        this.snapshots = snapshots;
        this.assets = assets;
        this.clients = clients;
    }

    @Override
    public Set<JobKind> kinds() {
        return Set.of(JobKind.EBS_RESTORE, JobKind.EC2_RESTORE);
    }

    @Override
    public JobResult run(JobContext context) {
        var job = context.job();
        var source = RestoreSource.of(job, points, vaults);
        var point = source.point();
        var vault = source.vault();
        var type = WireNames.parse(RestoreTargetType.class, Objects.requireNonNull(job.parameter(RestoreService.TYPE)));
        String region = vault.region();
        var repository = repositories.open(vault);
        var tags = tags(context, point);
        List<String> written = new ArrayList<>();
        try {
            var restored = writeSnapshots(context, repository, point, region, tags, written);
            snapshots.awaitCompleted(region, restored, context::checkpoint);
            context.checkpoint();
            return switch (type) {
                case EBS_SNAPSHOT -> new JobResult(null, restored.getFirst(), null, null, null);
                case EBS_VOLUME ->
                    new JobResult(
                            null,
                            restored.getFirst(),
                            createVolume(context, region, point.volumes().getFirst(), restored.getFirst(), tags),
                            null,
                            null);
                case EC2_INSTANCE -> {
                    var launched = launch(context, region, point, restored, tags);
                    // Without keepImage the snapshots are deleted: the result names none.
                    yield new JobResult(
                            null, launched.imageKept() ? restored.getFirst() : null, null, launched.instanceId(), null);
                }
            };
        } catch (RuntimeException e) {
            snapshots.deleteQuietly(region, written);
            throw e;
        }
    }

    private static Map<String, String> tags(JobContext context, KnownRecoveryPoint point) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("cloudconnector:connector", context.connectorId());
        tags.put("cloudconnector:job", context.job().id());
        tags.put("cloudconnector:recovery-point", point.id());
        tags.put("cloudconnector:asset", point.assetId());
        return tags;
    }

    /** Writes every volume of the point into a new snapshot; returns them in the point's order. */
    private List<String> writeSnapshots(
            JobContext context,
            io.cloudconnector.scalez.repo.Repository repository,
            KnownRecoveryPoint point,
            String region,
            Map<String, String> tags,
            List<String> written) {
        // A KMS key the request names (instance restores) encrypts the restored snapshots already.
        String kmsOverride = context.job().parameter(RestoreService.KMS_KEY);
        var ids = SnapshotRestore.write(
                transfers,
                region,
                context,
                repository,
                point,
                (i, volume) -> {
                    // A new token per run: a run replacing a dead one must not resume the dead one's unfinished
                    // snapshot.
                    return new EbsSnapshotSink.NewSnapshot(
                            "Cloud Connector restore of " + volume.volume().volumeId() + " from " + point.id(),
                            tags,
                            kmsOverride != null || volume.volume().encrypted(),
                            kmsOverride != null ? kmsOverride : volume.volume().kmsKeyId(),
                            context.job().id() + "-" + context.job().attempt() + "-" + i,
                            60);
                },
                written);
        context.reportNow(point.logicalBytes(), point.logicalBytes());
        log.info("Restored {} into snapshot(s) {}", point.id(), ids);
        return ids;
    }

    private String createVolume(
            JobContext context, String region, BackedUpVolume original, String snapshotId, Map<String, String> tags) {
        var facts = original.volume();
        String zone =
                Objects.requireNonNullElse(context.job().parameter(RestoreService.ZONE), facts.availabilityZone());
        var created = clients.in(region).ec2().createVolume(b -> {
            b.snapshotId(snapshotId)
                    .availabilityZone(zone)
                    .volumeType(facts.volumeType())
                    .tagSpecifications(tagging("volume", tags));
            if (TYPES_WITH_IOPS.contains(facts.volumeType())) {
                b.iops(facts.iops());
            }
            if ("gp3".equals(facts.volumeType())) {
                b.throughput(facts.throughput());
            }
        });
        snapshots.awaitAvailable(region, created.volumeId(), context::checkpoint);
        log.info("Created volume {} in {} from {}", created.volumeId(), zone, snapshotId);
        return created.volumeId();
    }

    /**
     * Registers an image with the original block device mapping and boot settings, on the restored snapshots, and
     * launches it with the original's settings and the request's overrides; waits until it runs, then deregisters
     * the image and deletes its snapshots unless the request keeps them. A failure deregisters the image and
     * terminates an instance that did not come up (the caller deletes the snapshots).
     *
     * @return the instance's id, and whether the image and its snapshots were kept
     */
    private Launched launch(
            JobContext context,
            String region,
            KnownRecoveryPoint point,
            List<String> restored,
            Map<String, String> tags) {
        var instance = Objects.requireNonNull(point.instance(), "an EC2 recovery point holds its instance");
        var job = context.job();
        var ec2 = clients.in(region).ec2();
        String kmsOverride = job.parameter(RestoreService.KMS_KEY);
        List<BlockDeviceMapping> imageMappings = new ArrayList<>();
        List<BlockDeviceMapping> launchMappings = new ArrayList<>();
        for (int i = 0; i < point.volumes().size(); i++) {
            var volume = point.volumes().get(i);
            var facts = volume.volume();
            String snapshot = restored.get(i);
            var ebs = EbsBlockDevice.builder()
                    .snapshotId(snapshot)
                    .volumeSize((int) facts.sizeGiB())
                    .volumeType(facts.volumeType())
                    .deleteOnTermination(volume.deleteOnTermination());
            if (TYPES_WITH_IOPS.contains(facts.volumeType())) {
                ebs.iops(facts.iops());
            }
            if ("gp3".equals(facts.volumeType())) {
                ebs.throughput(facts.throughput());
            }
            imageMappings.add(BlockDeviceMapping.builder()
                    .deviceName(volume.deviceName())
                    .ebs(ebs.build())
                    .build());
            // Only a launch takes a KMS key (RegisterImage does not): the volumes are encrypted as the originals
            // were, or with the key the request names.
            if (kmsOverride != null) {
                ebs.encrypted(true).kmsKeyId(kmsOverride);
            } else if (facts.encrypted()) {
                ebs.encrypted(true).kmsKeyId(facts.kmsKeyId());
            }
            launchMappings.add(BlockDeviceMapping.builder()
                    .deviceName(volume.deviceName())
                    .ebs(ebs.build())
                    .build());
        }
        boolean keepImage = "true".equals(job.parameter(RestoreService.KEEP_IMAGE));
        String imageId = registerImage(ec2, context, instance, imageMappings, tags);
        String instanceId = null;
        try {
            context.checkpoint();
            var placement = placement(region, job, instance);
            String type =
                    Objects.requireNonNullElse(job.parameter(RestoreService.INSTANCE_TYPE), instance.instanceType());
            Map<String, String> instanceTags = new LinkedHashMap<>();
            instance.tags().forEach((k, v) -> {
                if (!k.startsWith("aws:")) {
                    instanceTags.put(k, v);
                }
            });
            instanceTags.put("cloudconnector:restored-from", point.id());
            instanceTags.putAll(tags);
            var interfaces = interfaces(region, job, instance, placement);
            var launched = ec2.runInstances(b -> {
                b.imageId(imageId)
                        .instanceType(type)
                        .minCount(1)
                        .maxCount(1)
                        // Idempotent per job: a run replacing a dead one does not launch a second instance.
                        .clientToken(job.id())
                        // The image maps the same snapshots; naming them again makes the volumes explicit.
                        .blockDeviceMappings(launchMappings)
                        .tagSpecifications(tagging("instance", instanceTags), tagging("volume", tags));
                if (!interfaces.isEmpty()) {
                    b.networkInterfaces(interfaces);
                } else if (placement.subnetId() != null) {
                    b.subnetId(placement.subnetId());
                    if (!placement.securityGroupIds().isEmpty()) {
                        b.securityGroupIds(placement.securityGroupIds());
                    }
                }
                b.placement(p -> {
                    if (placement.subnetId() == null) {
                        p.availabilityZone(placement.zone());
                    }
                    if (instance.tenancy() != null && !"default".equals(instance.tenancy())) {
                        p.tenancy(instance.tenancy());
                    }
                });
                if (instance.keyName() != null) {
                    b.keyName(instance.keyName());
                }
                if (instance.iamInstanceProfileArn() != null) {
                    b.iamInstanceProfile(p -> p.arn(instance.iamInstanceProfileArn()));
                }
                if (instance.userData() != null) {
                    b.userData(instance.userData());
                }
                var metadata = instance.metadataOptions();
                if (metadata != null) {
                    b.metadataOptions(m -> m.httpTokens(metadata.httpTokens())
                            .httpPutResponseHopLimit(metadata.httpPutResponseHopLimit())
                            .httpEndpoint(metadata.httpEndpoint())
                            .httpProtocolIpv6(metadata.httpProtocolIpv6())
                            .instanceMetadataTags(metadata.instanceMetadataTags()));
                }
            });
            instanceId = launched.instances().getFirst().instanceId();
            log.info(
                    "Launched {} ({}, {}) from image {} restoring {}",
                    instanceId,
                    type,
                    placement.subnetId() == null ? placement.zone() : placement.subnetId(),
                    imageId,
                    point.id());
            snapshots.awaitRunning(region, instanceId, context::checkpoint);
        } catch (RuntimeException e) {
            if (instanceId != null) {
                terminateQuietly(ec2, instanceId);
            }
            deregisterQuietly(ec2, imageId);
            throw e;
        }
        if (!keepImage) {
            // The instance's volumes are its own now: the image and the snapshots behind it are scratch.
            deregisterQuietly(ec2, imageId);
            snapshots.deleteQuietly(region, restored);
        }
        return new Launched(instanceId, keepImage);
    }

    private record Launched(String instanceId, boolean imageKept) {}

    /**
     * Where the instance goes: the subnet asked for, else a subnet of the instance's VPC in the zone asked for,
     * else where it was; the security groups asked for, else the original ones when it stays in its VPC.
     */
    private Placement placement(
            String region, io.cloudconnector.backgroundjobs.job.JobRecord job, InstanceFacts instance) {
        String subnetOverride = job.parameter(RestoreService.SUBNET);
        String zoneOverride = job.parameter(RestoreService.ZONE);
        String groups = job.parameter(RestoreService.SECURITY_GROUPS);
        List<String> groupOverride = groups == null ? List.of() : List.of(groups.split(","));
        String subnet = instance.subnetId();
        String zone = instance.availabilityZone();
        String vpc = instance.vpcId();
        boolean moved = false;
        if (subnetOverride != null) {
            var found = assets.subnet(region, subnetOverride)
                    .orElseThrow(() -> new JobFailure("subnet-not-found", "Subnet " + subnetOverride + " is gone"));
            moved = !subnetOverride.equals(instance.subnetId());
            subnet = found.subnetId();
            zone = found.availabilityZone();
            vpc = found.vpcId();
        } else if (zoneOverride != null && !zoneOverride.equals(instance.availabilityZone())) {
            zone = zoneOverride;
            if (instance.vpcId() != null) {
                var found = assets.subnetsInZone(region, instance.vpcId(), zoneOverride);
                if (found.isEmpty()) {
                    throw new JobFailure(
                            "subnet-not-found", "VPC " + instance.vpcId() + " has no subnet in " + zoneOverride);
                }
                subnet = found.getFirst().subnetId();
                moved = true;
            } else {
                subnet = null;
            }
        }
        boolean sameVpc = Objects.equals(vpc, instance.vpcId());
        return new Placement(
                subnet,
                zone,
                moved,
                sameVpc,
                groupOverride.isEmpty() ? (sameVpc ? instance.securityGroupIds() : List.of()) : groupOverride,
                !groupOverride.isEmpty());
    }

    /**
     * @param moved whether the instance leaves its subnet (then every interface goes into the new one)
     * @param sameVpc whether it stays in its VPC (then the original security groups still apply)
     * @param overridden whether the security groups are the request's
     */
    private record Placement(
            @Nullable String subnetId,
            String zone,
            boolean moved,
            boolean sameVpc,
            List<String> securityGroupIds,
            boolean overridden) {}

    /**
     * Every network interface of the original, in device order: in its subnet (or the new one), with its security
     * groups (or the request's), its private address when still free, and a public address as it had (or none).
     */
    private List<InstanceNetworkInterfaceSpecification> interfaces(
            String region,
            io.cloudconnector.backgroundjobs.job.JobRecord job,
            InstanceFacts instance,
            Placement placement) {
        if (instance.networkInterfaces().isEmpty() || placement.subnetId() == null) {
            return List.of();
        }
        boolean noPublicIp = "true".equals(job.parameter(RestoreService.NO_PUBLIC_IP));
        var originals = instance.networkInterfaces().stream()
                .sorted(java.util.Comparator.comparingInt(InstanceFacts.NetworkInterface::deviceIndex))
                .toList();
        List<InstanceNetworkInterfaceSpecification> specs = new ArrayList<>();
        for (var original : originals) {
            String subnet =
                    placement.moved() || original.subnetId() == null ? placement.subnetId() : original.subnetId();
            List<String> groups = placement.overridden()
                    ? placement.securityGroupIds()
                    : placement.sameVpc() ? original.securityGroupIds() : List.of();
            var spec = InstanceNetworkInterfaceSpecification.builder()
                    .deviceIndex(original.deviceIndex())
                    .subnetId(subnet)
                    .deleteOnTermination(!Boolean.FALSE.equals(original.deleteOnTermination()));
            if (!groups.isEmpty()) {
                spec.groups(groups);
            }
            if (original.description() != null) {
                spec.description(original.description());
            }
            // The original's address, only in its own subnet and only when nothing holds it (the original instance
            // may still run): otherwise EC2 assigns one.
            String address = original.privateIpAddress();
            if (address != null
                    && subnet.equals(original.subnetId())
                    && !assets.privateIpInUse(region, subnet, address)) {
                spec.privateIpAddress(address);
            }
            // EC2 takes a public-address choice only for a single interface at index 0.
            if (originals.size() == 1 && original.deviceIndex() == 0) {
                if (noPublicIp) {
                    spec.associatePublicIpAddress(false);
                } else if (original.publicIp() != null) {
                    spec.associatePublicIpAddress(original.publicIp());
                }
            }
            specs.add(spec.build());
        }
        return specs;
    }

    private static void deregisterQuietly(Ec2Client ec2, String imageId) {
        try {
            ec2.deregisterImage(b -> b.imageId(imageId));
        } catch (RuntimeException e) {
            log.warn("Cannot deregister restore image {}: {}", imageId, e.getMessage());
        }
    }

    private static void terminateQuietly(Ec2Client ec2, String instanceId) {
        try {
            ec2.terminateInstances(b -> b.instanceIds(instanceId));
        } catch (RuntimeException e) {
            log.warn("Cannot terminate failed restore instance {}: {}", instanceId, e.getMessage());
        }
    }

    private static String registerImage(
            Ec2Client ec2,
            JobContext context,
            InstanceFacts instance,
            List<BlockDeviceMapping> mappings,
            Map<String, String> tags) {
        String name = "cloudconnector-restore-" + context.job().id();
        try {
            return ec2.registerImage(b -> {
                        b.name(name)
                                .description("Restore of " + instance.instanceId() + " by "
                                        + context.job().id())
                                .rootDeviceName(instance.rootDeviceName())
                                .virtualizationType("hvm")
                                .architecture(instance.architecture() == null ? "x86_64" : instance.architecture())
                                .blockDeviceMappings(mappings)
                                .tagSpecifications(tagging("image", tags));
                        if (instance.enaSupport() != null) {
                            b.enaSupport(instance.enaSupport());
                        }
                        if (instance.bootMode() != null) {
                            b.bootMode(instance.bootMode());
                        }
                        if (instance.tpmSupport() != null) {
                            b.tpmSupport(instance.tpmSupport());
                        }
                        if (instance.sriovNetSupport() != null) {
                            b.sriovNetSupport(instance.sriovNetSupport());
                        }
                    })
                    .imageId();
        } catch (Ec2Exception e) {
            // A run replacing a dead one may find the image that run registered.
            if (e.awsErrorDetails() != null
                    && "InvalidAMIName.Duplicate".equals(e.awsErrorDetails().errorCode())) {
                return ec2.describeImages(b ->
                                b.owners("self").filters(f -> f.name("name").values(name)))
                        .images()
                        .getFirst()
                        .imageId();
            }
            throw e;
        }
    }

    private static TagSpecification tagging(String resourceType, Map<String, String> tags) {
        return TagSpecification.builder()
                .resourceType(resourceType)
                .tags(Snapshots.tagList(tags))
                .build();
    }
}
