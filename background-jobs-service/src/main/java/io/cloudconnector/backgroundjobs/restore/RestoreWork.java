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
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.scalez.sink.BlockSink;
import io.cloudconnector.scalez.sink.ConcatenatedBlockSink;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Restores a recovery point. Every volume is written into a new EBS snapshot through the EBS direct APIs (only
 * non-zero blocks, each with its SHA-256; completed with the aggregate checksum); then, by target:
 * {@code ebs-snapshot} is done; {@code ebs-volume} creates a volume from it in the requested zone; {@code
 * ec2-instance} registers an image from the root snapshot with the original block device mapping and launches an
 * instance with the original type, subnet, security groups and tags (type and subnet overridable). What a restore
 * makes is tagged with the job and recovery point; a failed run deletes the snapshots it wrote.
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
        var point = points.find(Objects.requireNonNull(job.recoveryPointId()))
                .filter(KnownRecoveryPoint::available)
                .orElseThrow(() -> new JobFailure(
                        "recovery-point-unavailable",
                        "Recovery point " + job.recoveryPointId() + " is expired, deleted or unknown"));
        var vault = vaults.find(point.vaultId())
                .filter(v -> v.active())
                .orElseThrow(() -> new JobFailure("vault-unavailable", "Vault " + point.vaultId() + " is deleted"));
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
                case EC2_INSTANCE ->
                    new JobResult(
                            null, restored.getFirst(), null, launch(context, region, point, restored, tags), null);
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
        List<EbsSnapshotSink> sinks = new ArrayList<>();
        List<ConcatenatedBlockSink.Part> parts = new ArrayList<>();
        for (int i = 0; i < point.volumes().size(); i++) {
            var volume = point.volumes().get(i);
            // A new token per run: a run replacing a dead one must not resume the dead one's unfinished snapshot.
            var spec = new EbsSnapshotSink.NewSnapshot(
                    "Cloud Connector restore of " + volume.volume().volumeId() + " from " + point.id(),
                    tags,
                    volume.volume().encrypted(),
                    volume.volume().kmsKeyId(),
                    context.job().id() + "-" + context.job().attempt() + "-" + i,
                    60);
            var sink = transfers.write(region, spec);
            sinks.add(sink);
            parts.add(new ConcatenatedBlockSink.Part(sink, volume.sizeBytes()));
        }
        BlockSink whole = sinks.size() == 1 ? sinks.getFirst() : ConcatenatedBlockSink.of(parts);
        try (whole) {
            repository.restoreBlocks(
                    point.id(), new Recording(context.guard(whole), sinks, written), context.progress());
        }
        context.reportNow(point.logicalBytes(), point.logicalBytes());
        var ids = sinks.stream()
                .map(EbsSnapshotSink::snapshotId)
                .map(Objects::requireNonNull)
                .toList();
        log.info("Restored {} into snapshot(s) {}", point.id(), ids);
        return ids;
    }

    /** Notes each snapshot as soon as it is started, so that a failure can delete what it left. */
    private record Recording(BlockSink sink, List<EbsSnapshotSink> snapshots, List<String> written)
            implements BlockSink {

        @Override
        public void start(long size) {
            try {
                sink.start(size);
            } finally {
                snapshots.stream()
                        .map(EbsSnapshotSink::snapshotId)
                        .filter(Objects::nonNull)
                        .forEach(written::add);
            }
        }

        @Override
        public void writeBlock(long index, byte[] data, int length) {
            sink.writeBlock(index, data, length);
        }

        @Override
        public void zeroBlock(long index, int length) {
            sink.zeroBlock(index, length);
        }

        @Override
        public void finish() {
            sink.finish();
        }
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

    /** Registers an image with the original block device mapping, on the restored snapshots, and launches it. */
    private String launch(
            JobContext context,
            String region,
            KnownRecoveryPoint point,
            List<String> restored,
            Map<String, String> tags) {
        var instance = Objects.requireNonNull(point.instance(), "an EC2 recovery point holds its instance");
        var ec2 = clients.in(region).ec2();
        List<BlockDeviceMapping> mappings = new ArrayList<>();
        for (int i = 0; i < point.volumes().size(); i++) {
            var volume = point.volumes().get(i);
            var facts = volume.volume();
            String snapshot = restored.get(i);
            mappings.add(BlockDeviceMapping.builder()
                    .deviceName(volume.deviceName())
                    .ebs(e -> {
                        e.snapshotId(snapshot)
                                .volumeSize((int) facts.sizeGiB())
                                .volumeType(facts.volumeType())
                                .deleteOnTermination(volume.deleteOnTermination());
                        if (TYPES_WITH_IOPS.contains(facts.volumeType())) {
                            e.iops(facts.iops());
                        }
                        if ("gp3".equals(facts.volumeType())) {
                            e.throughput(facts.throughput());
                        }
                    })
                    .build());
        }
        String imageId = registerImage(ec2, context, instance, mappings, tags);
        context.checkpoint();
        String subnet = Objects.requireNonNullElse(context.job().parameter(RestoreService.SUBNET), instance.subnetId());
        String type = Objects.requireNonNullElse(
                context.job().parameter(RestoreService.INSTANCE_TYPE), instance.instanceType());
        // Security groups belong to a VPC: keep them only when the instance stays in its VPC.
        boolean sameVpc = subnet != null
                && assets.subnet(region, subnet)
                        .map(s -> Objects.equals(s.vpcId(), instance.vpcId()))
                        .orElse(false);
        Map<String, String> instanceTags = new LinkedHashMap<>();
        instance.tags().forEach((k, v) -> {
            if (!k.startsWith("aws:")) {
                instanceTags.put(k, v);
            }
        });
        instanceTags.put("cloudconnector:restored-from", point.id());
        instanceTags.putAll(tags);
        var launched = ec2.runInstances(b -> {
            b.imageId(imageId)
                    .instanceType(type)
                    .minCount(1)
                    .maxCount(1)
                    // Idempotent per job: a run replacing a dead one does not launch a second instance.
                    .clientToken(context.job().id())
                    // The image maps the same snapshots; naming them again makes the volumes explicit.
                    .blockDeviceMappings(mappings)
                    .tagSpecifications(tagging("instance", instanceTags), tagging("volume", tags));
            if (subnet != null) {
                b.subnetId(subnet);
            }
            if (sameVpc && !instance.securityGroupIds().isEmpty()) {
                b.securityGroupIds(instance.securityGroupIds());
            }
            if (instance.keyName() != null) {
                b.keyName(instance.keyName());
            }
        });
        String instanceId = launched.instances().getFirst().instanceId();
        log.info("Launched {} ({}, {}) from image {} restoring {}", instanceId, type, subnet, imageId, point.id());
        return instanceId;
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
