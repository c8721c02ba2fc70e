package io.cloudconnector.backgroundjobs.restoretest;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.ebs.BlockTransfers;
import io.cloudconnector.backgroundjobs.ebs.Snapshots;
import io.cloudconnector.backgroundjobs.job.JobContext;
import io.cloudconnector.backgroundjobs.job.JobFailure;
import io.cloudconnector.backgroundjobs.job.JobStoppedException;
import io.cloudconnector.backgroundjobs.job.JobWork;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.recoverypoint.RestoreSource;
import io.cloudconnector.backgroundjobs.restore.SnapshotRestore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;

/**
 * Runs a restore test: first deletes the scratch that earlier, killed tests left; then restores the point into new
 * snapshots through the EBS direct APIs (and, for an instance, registers an image of them), all tagged {@value
 * ScratchResources#TAG}; the recovery time is measured from the start to the snapshots being completed; then verifies
 * them ({@link RestoreVerification}) and deletes the scratch, whatever happened. The result is announced with {@code
 * RecoveryPointRestoreTested}; a test that did not pass fails the job ({@code restore-test-failed}) with its reasons.
 * A cancelled or lost run announces nothing (its scratch is deleted by it, or by the next test).
 */
@Component
class RestoreTestWork implements JobWork {

    private static final Logger log = LoggerFactory.getLogger(RestoreTestWork.class);

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final BlockTransfers transfers;
    private final Snapshots snapshots;
    private final ScratchResources scratch;
    private final AwsClients clients;
    private final EventPublisher events;
    private final Clock clock;

    RestoreTestWork(
            RecoveryPointStore points,
            VaultDirectory vaults,
            VaultRepositories repositories,
            BlockTransfers transfers,
            Snapshots snapshots,
            ScratchResources scratch,
            AwsClients clients,
            EventPublisher events,
            Clock clock) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.transfers = transfers;
        this.snapshots = snapshots;
        this.scratch = scratch;
        this.clients = clients;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Set<JobKind> kinds() {
        return Set.of(JobKind.RESTORE_TEST);
    }

    @Override
    public JobResult run(JobContext context) {
        var job = context.job();
        var source = RestoreSource.of(job, points, vaults);
        var point = source.point();
        var vault = source.vault();
        if (point.volumes().isEmpty()) {
            throw new JobFailure("recovery-point-unavailable", "Recovery point " + point.id() + " names no volumes");
        }
        String region = vault.region();
        scratch.deleteLeftovers(region, context.connectorId(), job.id());
        var testedAt = clock.instant();
        long started = System.nanoTime();
        var repository = repositories.open(vault);
        List<String> written = new ArrayList<>();
        Optional<String> image = Optional.empty();
        List<String> reasons = new ArrayList<>();
        double recoverySeconds = 0;
        try {
            try {
                var restored = writeSnapshots(context, repository, point, region, written);
                snapshots.awaitCompleted(region, restored, context::checkpoint);
                recoverySeconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
                log.info("Restored {} into scratch {} in {} s", point.id(), restored, recoverySeconds);
                if (point.instance() != null) {
                    image = Optional.of(registerImage(context, region, point, restored));
                }
                context.checkpoint();
                var verification = new RestoreVerification(
                        point,
                        repository,
                        clients.in(region).ebs(),
                        id -> context.guard(transfers.read(region, id)),
                        context::checkpoint);
                reasons.addAll(verification.verify(restored));
            } catch (RuntimeException e) {
                if (context.stopping() || e instanceof JobStoppedException) {
                    throw e;
                }
                log.warn("Restore test {} of {} failed: {}", job.id(), point.id(), e.toString(), e);
                reasons.add("the restore failed: " + e.getMessage());
            }
        } finally {
            scratch.delete(region, image, written);
            scratch.deleteTagged(region, job.id());
        }
        try {
            var left = scratch.list(region, job.id());
            if (!left.isEmpty()) {
                reasons.add("scratch resources could not be deleted yet (the next restore test deletes them): "
                        + left.stream().map(ScratchResources.Scratch::id).toList());
            }
        } catch (RuntimeException e) {
            // The point's verdict stands; what may be left is the next test's cleanup's.
            log.warn("Cannot list the scratch of {} in {}: {}", job.id(), region, e.getMessage());
        }
        boolean passed = reasons.isEmpty();
        events.publish(
                new RecoveryPointRestoreTested(
                        point.id(),
                        point.vaultId(),
                        point.assetId(),
                        job.id(),
                        passed,
                        testedAt,
                        recoverySeconds,
                        reasons),
                point.id());
        if (!passed) {
            throw new JobFailure("restore-test-failed", String.join("; ", reasons));
        }
        return JobResult.none();
    }

    private static Map<String, String> tags(JobContext context, KnownRecoveryPoint point) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ScratchResources.CONNECTOR_TAG, context.connectorId());
        tags.put("cloudconnector:job", context.job().id());
        tags.put("cloudconnector:recovery-point", point.id());
        tags.put(ScratchResources.TAG, context.job().id());
        return tags;
    }

    /** Writes every volume of the point into a new scratch snapshot; returns them in the point's order. */
    private List<String> writeSnapshots(
            JobContext context, Repository repository, KnownRecoveryPoint point, String region, List<String> written) {
        var tags = tags(context, point);
        return SnapshotRestore.write(
                transfers,
                region,
                context,
                repository,
                point,
                (i, volume) -> new EbsSnapshotSink.NewSnapshot(
                        "Cloud Connector restore test of " + point.id() + " ("
                                + volume.volume().volumeId() + ")",
                        tags,
                        volume.volume().encrypted(),
                        volume.volume().kmsKeyId(),
                        context.job().id() + "-" + context.job().attempt() + "-" + i,
                        60),
                written);
    }

    /** An image of the instance on the scratch snapshots, as a restore would launch it; never launched. */
    private String registerImage(JobContext context, String region, KnownRecoveryPoint point, List<String> restored) {
        var instance = Objects.requireNonNull(point.instance());
        List<BlockDeviceMapping> mappings = new ArrayList<>();
        for (int i = 0; i < point.volumes().size(); i++) {
            var volume = point.volumes().get(i);
            String snapshot = restored.get(i);
            mappings.add(BlockDeviceMapping.builder()
                    .deviceName(volume.deviceName())
                    .ebs(e -> e.snapshotId(snapshot)
                            .volumeSize((int) volume.volume().sizeGiB())
                            .volumeType(volume.volume().volumeType())
                            .deleteOnTermination(true))
                    .build());
        }
        String name = "cloudconnector-restore-test-" + context.job().id() + "-"
                + context.job().attempt();
        @Nullable String architecture = instance.architecture();
        String imageId = clients.in(region)
                .ec2()
                .registerImage(b -> b.name(name)
                        .description("Restore test of " + point.id() + " by "
                                + context.job().id())
                        .rootDeviceName(instance.rootDeviceName())
                        .virtualizationType("hvm")
                        .architecture(architecture == null ? "x86_64" : architecture)
                        .blockDeviceMappings(mappings)
                        .tagSpecifications(t -> t.resourceType("image").tags(Snapshots.tagList(tags(context, point)))))
                .imageId();
        log.info("Registered scratch image {} of {}", imageId, restored);
        return imageId;
    }
}
