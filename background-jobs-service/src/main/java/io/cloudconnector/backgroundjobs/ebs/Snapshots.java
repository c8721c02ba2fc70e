package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.common.resilience.Retries;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/** Waiting for snapshots to complete, and deleting the connector's own. */
@Component
public class Snapshots {

    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(500);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(15);

    private final AwsClients clients;
    private final Duration timeout;
    private final Clock clock;

    Snapshots(AwsClients clients, JobsProperties properties, Clock clock) {
        this.clients = clients;
        this.timeout = properties.snapshotTimeout();
        this.clock = clock;
    }

    /** The tag specification that puts {@code tags} on new snapshots. */
    public static TagSpecification tagSnapshots(Map<String, String> tags) {
        return TagSpecification.builder()
                .resourceType("snapshot")
                .tags(tagList(tags))
                .build();
    }

    /** EC2 tags. */
    public static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    /**
     * Waits until every snapshot is {@code completed}, polling with a growing, jittered pause ({@link
     * Retries#await}), calling {@code checkpoint} before each poll (not the SDK's {@code SnapshotCompleted} waiter:
     * it cannot stop for a cancelled job between its polls). A snapshot in {@code error}, or not done within {@code connector.jobs.snapshot-timeout},
     * fails the wait.
     */
    public void awaitCompleted(String region, Collection<String> snapshotIds, Runnable checkpoint) {
        var ec2 = clients.in(region).ec2();
        await("Snapshots " + snapshotIds, checkpoint, () -> {
            var described =
                    ec2.describeSnapshots(b -> b.snapshotIds(snapshotIds)).snapshots();
            var failed = described.stream()
                    .filter(s -> s.state() == SnapshotState.ERROR)
                    .toList();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("EC2 failed snapshot "
                        + failed.stream()
                                .map(s -> s.snapshotId() + " (" + s.stateMessage() + ")")
                                .collect(Collectors.joining(", ")));
            }
            return described.size() == snapshotIds.size()
                    && described.stream().allMatch(s -> s.state() == SnapshotState.COMPLETED);
        });
    }

    /** Waits until a new volume is {@code available}, as {@link #awaitCompleted} waits for snapshots. */
    public void awaitAvailable(String region, String volumeId, Runnable checkpoint) {
        var ec2 = clients.in(region).ec2();
        await("Volume " + volumeId, checkpoint, () -> {
            var volume =
                    ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().getFirst();
            if (volume.state() == VolumeState.ERROR) {
                throw new IllegalStateException("EC2 failed to create volume " + volumeId);
            }
            return volume.state() == VolumeState.AVAILABLE;
        });
    }

    /**
     * Waits until a new instance is {@code running}, as {@link #awaitCompleted} waits for snapshots; one that stops
     * or terminates on its way fails the wait.
     */
    public void awaitRunning(String region, String instanceId, Runnable checkpoint) {
        var ec2 = clients.in(region).ec2();
        await("Instance " + instanceId, checkpoint, () -> {
            List<software.amazon.awssdk.services.ec2.model.Reservation> reservations;
            try {
                reservations =
                        ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations();
            } catch (Ec2Exception e) {
                // A new instance may not be visible yet (EC2 is eventually consistent).
                if (e.awsErrorDetails() != null
                        && "InvalidInstanceID.NotFound"
                                .equals(e.awsErrorDetails().errorCode())) {
                    return false;
                }
                throw e;
            }
            var state = reservations.stream()
                    .flatMap(r -> r.instances().stream())
                    .findFirst()
                    .map(i -> i.state() == null
                            ? InstanceStateName.PENDING
                            : i.state().name())
                    .orElse(InstanceStateName.PENDING);
            if (state != InstanceStateName.PENDING && state != InstanceStateName.RUNNING) {
                throw new IllegalStateException("Instance " + instanceId + " went " + state + " instead of running");
            }
            return state == InstanceStateName.RUNNING;
        });
    }

    private void await(String what, Runnable checkpoint, BooleanSupplier done) {
        Retries.await(what, timeout, FIRST_POLL, LONGEST_POLL, clock, () -> {
            checkpoint.run();
            return done.getAsBoolean();
        });
    }

    /** Deletes snapshots; one already gone is fine. Failures are logged: leftovers cost money, not correctness. */
    public void deleteQuietly(String region, Collection<String> snapshotIds) {
        for (String id : snapshotIds) {
            try {
                clients.in(region).ec2().deleteSnapshot(b -> b.snapshotId(id));
            } catch (Ec2Exception e) {
                String code =
                        e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                if (!"InvalidSnapshot.NotFound".equals(code)) {
                    log.warn("Cannot delete snapshot {} in {}: {}", id, region, e.getMessage());
                }
            } catch (RuntimeException e) {
                log.warn("Cannot delete snapshot {} in {}: {}", id, region, e.getMessage());
            }
        }
    }
}
