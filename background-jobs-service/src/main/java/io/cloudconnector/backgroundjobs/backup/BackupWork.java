package io.cloudconnector.backgroundjobs.backup;

import io.cloudconnector.backgroundjobs.ebs.AssetId;
import io.cloudconnector.backgroundjobs.ebs.BlockTransfers;
import io.cloudconnector.backgroundjobs.ebs.Ec2Assets;
import io.cloudconnector.backgroundjobs.ebs.InstanceFacts;
import io.cloudconnector.backgroundjobs.ebs.SnapshotTaker;
import io.cloudconnector.backgroundjobs.ebs.Snapshots;
import io.cloudconnector.backgroundjobs.ebs.VolumeFacts;
import io.cloudconnector.backgroundjobs.job.JobContext;
import io.cloudconnector.backgroundjobs.job.JobFailure;
import io.cloudconnector.backgroundjobs.job.JobWork;
import io.cloudconnector.backgroundjobs.recoverypoint.BackedUpVolume;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobPhases;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.source.BlockSource;
import io.cloudconnector.scalez.source.ConcatenatedBlockSource;
import io.cloudconnector.scalez.source.EbsSnapshotSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Backs up an EBS volume, or an EC2 instance with all its volumes, into a vault as one recovery point.
 *
 * <ol>
 *   <li>Snapshot: the tenant's given snapshot, or a new one (an instance's volumes at one moment).</li>
 *   <li>Read the snapshot through the EBS direct APIs into the ScaleZ engine; an instance's volumes are read as
 *       one device, one after the other. When the asset has an earlier recovery point in the vault whose
 *       snapshots still exist, only the blocks EBS lists as changed since them are read
 *       ({@code ListChangedBlocks}); the engine takes the rest from that recovery point.</li>
 *   <li>The engine writes the manifest last, with labels that let the catalog rebuild itself from the bucket; then
 *       the point is recorded here and announced ({@code RecoveryPointCreated}).</li>
 *   <li>The new snapshots become the base of the next incremental; the previous base is deleted.</li>
 * </ol>
 * A run that dies leaves no recovery point (no manifest) and its uploaded packs are reused by the next run.
 */
@Component
class BackupWork implements JobWork {

    private static final Logger log = LoggerFactory.getLogger(BackupWork.class);
    private static final JsonMapper JSON = EventCodec.standardMapper();

    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final Ec2Assets assets;
    private final SnapshotTaker snapshotTaker;
    private final Snapshots snapshots;
    private final BlockTransfers transfers;
    private final RecoveryPointStore points;
    private final EventPublisher events;

    BackupWork(
            VaultDirectory vaults,
            VaultRepositories repositories,
            Ec2Assets assets,
            SnapshotTaker snapshotTaker,
            Snapshots snapshots,
            BlockTransfers transfers,
            RecoveryPointStore points,
            EventPublisher events) {
        this.vaults = vaults;
        this.repositories = repositories;
        this.assets = assets;
        this.snapshotTaker = snapshotTaker;
        this.snapshots = snapshots;
        this.transfers = transfers;
        this.points = points;
        this.events = events;
    }

    @Override
    public Set<JobKind> kinds() {
        return Set.of(JobKind.EBS_BACKUP, JobKind.EC2_BACKUP);
    }

    /** A volume to back up, where it sits in the instance. */
    private record Planned(VolumeFacts volume, @Nullable String deviceName, boolean deleteOnTermination) {}

    @Override
    public JobResult run(JobContext context) {
        var job = context.job();
        var vault = vaults.find(job.vaultId())
                .filter(v -> v.active())
                .orElseThrow(
                        () -> new JobFailure("vault-unavailable", "Vault " + job.vaultId() + " is deleted or unknown"));
        var asset = AssetId.parse(job.assetId() == null ? "" : job.assetId(), assets.accountId(), vault.region());
        String region = asset.region();
        InstanceFacts instance = null;
        List<Planned> planned = new ArrayList<>();
        if (asset.kind() == RecoveryPointKind.EBS) {
            var volume = assets.volume(region, asset.resourceId())
                    .orElseThrow(() -> new JobFailure(
                            "asset-not-found", "Volume " + asset.resourceId() + " no longer exists in " + region));
            planned.add(new Planned(volume, null, false));
        } else {
            instance = assets.instance(region, asset.resourceId())
                    .orElseThrow(() -> new JobFailure(
                            "asset-not-found", "Instance " + asset.resourceId() + " no longer exists in " + region));
            instance.volumes()
                    .forEach(v -> planned.add(new Planned(v.volume(), v.deviceName(), v.deleteOnTermination())));
            if (planned.isEmpty()) {
                throw new JobFailure("no-volumes", "Instance " + asset.resourceId() + " has no EBS volumes");
            }
        }
        var previous = points.latestAvailable(vault.id(), asset.canonical()).orElse(null);
        var repository = repositories.open(vault);
        context.checkpoint();
        context.phase(JobPhases.REPOSITORY_OPEN);

        String given = job.parameter(BackupService.SNAPSHOT_ID);
        Map<String, String> taken;
        if (given != null) {
            taken = Map.of(planned.getFirst().volume().volumeId(), given);
            snapshots.awaitCompleted(region, List.of(given), context::checkpoint);
        } else {
            taken = snapshotTaker.snapshot(
                    region,
                    instance == null ? null : instance.instanceId(),
                    planned.stream().map(Planned::volume).toList(),
                    ownTags(context, asset),
                    context::checkpoint);
        }
        context.phase(JobPhases.SNAPSHOT);
        boolean owned = given == null;
        try {
            var volumes = layout(planned, taken, owned);
            var point = write(context, repository, asset, volumes, instance, previous, region);
            if (previous != null) {
                // The new snapshots are the base of the next incremental; the old base is no longer needed.
                snapshots.deleteQuietly(
                        region,
                        previous.volumes().stream()
                                .filter(BackedUpVolume::snapshotOwned)
                                .map(BackedUpVolume::snapshotId)
                                .filter(id -> !taken.containsValue(id))
                                .toList());
                context.phase(JobPhases.CLEANUP);
            }
            return new JobResult(point, null, null, null, null);
        } catch (RuntimeException e) {
            if (owned) {
                snapshots.deleteQuietly(region, taken.values());
            }
            throw e;
        }
    }

    private static Map<String, String> ownTags(JobContext context, AssetId asset) {
        return Map.of(
                "cloudconnector:connector",
                context.connectorId(),
                "cloudconnector:job",
                context.job().id(),
                "cloudconnector:vault",
                context.job().vaultId(),
                "cloudconnector:asset",
                asset.canonical());
    }

    private static List<BackedUpVolume> layout(List<Planned> planned, Map<String, String> taken, boolean owned) {
        List<BackedUpVolume> volumes = new ArrayList<>();
        long block = 0;
        for (var p : planned) {
            var volume = new BackedUpVolume(
                    p.volume(),
                    p.deviceName(),
                    p.deleteOnTermination(),
                    java.util.Objects.requireNonNull(taken.get(p.volume().volumeId())),
                    owned,
                    block);
            volumes.add(volume);
            block += (volume.sizeBytes() + BlockSource.BLOCK_SIZE - 1) / BlockSource.BLOCK_SIZE;
        }
        return volumes;
    }

    /** Reads the snapshots into the vault; returns the new recovery point's id. */
    private String write(
            JobContext context,
            io.cloudconnector.scalez.repo.Repository repository,
            AssetId asset,
            List<BackedUpVolume> volumes,
            @Nullable InstanceFacts instance,
            @Nullable KnownRecoveryPoint previous,
            String region) {
        var readFrom = context.phaseStart();
        boolean sameLayout = previous != null && previous.volumes().size() == volumes.size();
        for (int i = 0; sameLayout && previous != null && i < volumes.size(); i++) {
            var before = previous.volumes().get(i);
            sameLayout =
                    before.volume().volumeId().equals(volumes.get(i).volume().volumeId())
                            && before.sizeBytes() == volumes.get(i).sizeBytes();
        }
        List<EbsSnapshotSource> sources =
                sameLayout && previous != null ? changesSince(region, previous, volumes) : null;
        var changed = sources == null ? null : changedBlocks(sources, volumes);
        if (sources == null) {
            sources = new ArrayList<>();
            for (var volume : volumes) {
                sources.add(transfers.read(region, volume.snapshotId()));
            }
        }
        try {
            BlockSource whole = sources.size() == 1 ? sources.getFirst() : ConcatenatedBlockSource.of(sources);
            var lastRead = new AtomicLong(readFrom.toEpochMilli());
            var labels = labels(context, asset, volumes, instance);
            var options = BackupOptions.defaults()
                    .withSource(asset.canonical())
                    .withProgress(context.progress())
                    .withLabels(labels);
            if (previous != null) {
                options = options.withParent(previous.id());
            }
            if (changed != null) {
                options = options.withChangedBlocks(changed);
            }
            log.info(
                    "Backing up {} into {}: {} snapshot(s), {}",
                    asset,
                    context.job().vaultId(),
                    sources.size(),
                    changed != null && previous != null
                            ? changed.cardinality() + " changed blocks since " + previous.id()
                            : previous != null ? "every block, deduplicated against " + previous.id() : "every block");
            var point = repository.backupBlocks(context.guard(timed(whole, context, lastRead)), options);
            var committed = context.now();
            // The engine timestamps the point when its data is stored, just before it writes the manifest.
            var readEnd = Instant.ofEpochMilli(lastRead.get());
            var stored = latest(readEnd, earliest(point.time(), committed));
            context.phase(JobPhases.READ, readFrom, readEnd);
            context.phase(JobPhases.UPLOAD, readEnd, stored);
            context.phase(JobPhases.COMMIT, stored, committed);
            context.reportNow(point.logicalSize(), point.logicalSize());
            var known = new KnownRecoveryPoint(
                    point.id(),
                    context.job().vaultId(),
                    asset.canonical(),
                    asset.kind(),
                    point.time(),
                    point.parent(),
                    context.job().id(),
                    point.logicalSize(),
                    volumes,
                    instance,
                    RecoveryPointStatus.AVAILABLE);
            points.record(known);
            Map<String, String> source = new TreeMap<>();
            labels.forEach((k, v) -> {
                if (k.startsWith(RecoveryPointLabels.SOURCE_PREFIX)) {
                    source.put(k.substring(RecoveryPointLabels.SOURCE_PREFIX.length()), v);
                }
            });
            source.put("bytes-processed", Long.toString(point.bytesProcessed()));
            events.publish(
                    new RecoveryPointCreated(
                            point.id(),
                            context.job().vaultId(),
                            asset.canonical(),
                            asset.kind(),
                            point.time(),
                            point.parent(),
                            point.logicalSize(),
                            point.bytesAdded(),
                            context.job().id(),
                            source),
                    context.job().id());
            context.phase(JobPhases.CATALOG);
            log.info(
                    "{} written: {} bytes, {} read, {} added to the vault",
                    point.id(),
                    point.logicalSize(),
                    point.bytesProcessed(),
                    point.bytesAdded());
            return point.id();
        } finally {
            sources.forEach(EbsSnapshotSource::close);
        }
    }

    /** {@code source}, noting in {@code lastRead} when (by the job's clock) its latest block was read. */
    private static BlockSource timed(BlockSource source, JobContext context, AtomicLong lastRead) {
        return new BlockSource() {
            @Override
            public long size() {
                return source.size();
            }

            @Override
            public void readBlock(long index, byte[] buffer) {
                source.readBlock(index, buffer);
                lastRead.accumulateAndGet(context.now().toEpochMilli(), Math::max);
            }

            @Override
            public java.util.Optional<BitSet> allocatedBlocks() {
                return source.allocatedBlocks();
            }

            @Override
            public String description() {
                return source.description();
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * The blocks of each volume that changed since the previous point's snapshots; null when one cannot be listed
     * (its base snapshot was deleted, say): then every volume is read whole, deduplicated against the parent.
     */
    private @Nullable List<EbsSnapshotSource> changesSince(
            String region, KnownRecoveryPoint previous, List<BackedUpVolume> volumes) {
        List<EbsSnapshotSource> sources = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            String base = previous.volumes().get(i).snapshotId();
            try {
                sources.add(transfers.readChanges(region, base, volumes.get(i).snapshotId()));
            } catch (ScalezException e) {
                log.warn(
                        "Cannot list the changes of {} since {} ({}); reading every volume whole",
                        volumes.get(i).snapshotId(),
                        base,
                        e.getMessage());
                sources.forEach(EbsSnapshotSource::close);
                return null;
            }
        }
        return sources;
    }

    /** The changed blocks of every volume, in the numbering of the whole device. */
    private static BitSet changedBlocks(List<EbsSnapshotSource> sources, List<BackedUpVolume> volumes) {
        var all = new BitSet();
        for (int i = 0; i < sources.size(); i++) {
            int first = (int) volumes.get(i).firstBlock();
            sources.get(i).changedBlocks().orElseThrow().stream().forEach(b -> all.set(first + b));
        }
        return all;
    }

    /** What the manifest carries so that the catalog (and this service) can be rebuilt from the bucket alone. */
    /** A backup started by a protection policy names it, its run, and whether the policy wants a scan. */
    private static void policyLabels(JobContext context, Map<String, String> source) {
        String policyId = context.job().parameter(BackupService.POLICY_ID);
        String runId = context.job().parameter(BackupService.RUN_ID);
        if (policyId != null && runId != null) {
            source.put(RecoveryPointLabels.SOURCE_POLICY_ID, policyId);
            source.put(RecoveryPointLabels.SOURCE_RUN_ID, runId);
            if ("true".equals(context.job().parameter(BackupService.SCAN))) {
                source.put(RecoveryPointLabels.SOURCE_SCAN_REQUESTED, "true");
            }
        }
    }

    private static Map<String, String> labels(
            JobContext context, AssetId asset, List<BackedUpVolume> volumes, @Nullable InstanceFacts instance) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RecoveryPointLabels.ASSET_ID, asset.canonical());
        labels.put(RecoveryPointLabels.KIND, WireNames.of(asset.kind()));
        labels.put(RecoveryPointLabels.JOB_ID, context.job().id());
        Map<String, String> source = new HashMap<>();
        source.put(
                "snapshot-ids", volumes.stream().map(BackedUpVolume::snapshotId).collect(Collectors.joining(",")));
        source.put(
                "volume-ids", volumes.stream().map(v -> v.volume().volumeId()).collect(Collectors.joining(",")));
        source.put(
                "size-gib",
                Long.toString(
                        volumes.stream().mapToLong(v -> v.volume().sizeGiB()).sum()));
        source.put("volumes", JSON.writeValueAsString(volumes));
        if (instance == null) {
            var volume = volumes.getFirst();
            source.put("snapshot-id", volume.snapshotId());
            source.put("volume-id", volume.volume().volumeId());
            source.put("volume-type", volume.volume().volumeType());
            source.put("availability-zone", volume.volume().availabilityZone());
            source.put("encrypted", Boolean.toString(volume.volume().encrypted()));
        } else {
            source.put("instance-id", instance.instanceId());
            source.put("instance-type", instance.instanceType());
            source.put("image-id", instance.imageId());
            source.put("availability-zone", instance.availabilityZone());
            if (instance.subnetId() != null) {
                source.put("subnet-id", instance.subnetId());
            }
            source.put("security-group-ids", String.join(",", instance.securityGroupIds()));
            // User data may hold secrets: the catalog, which every reader of recovery points sees, gets all but it
            // (the service's own record of the point keeps it, for the restore).
            source.put("instance", JSON.writeValueAsString(instance.withoutUserData()));
        }
        policyLabels(context, source);
        source.forEach((k, v) -> labels.put(RecoveryPointLabels.SOURCE_PREFIX + k, v));
        return labels;
    }
}
