package io.cloudconnector.backgroundjobs.ebs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsMode;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * How AWS mode takes snapshots, against the emulator's EC2 (its snapshots carry no blocks, so only the EC2 side
 * shows here): an instance's volumes with one {@code CreateSnapshots} call (one moment for all of them), a volume
 * with {@code CreateSnapshot}; each tagged, completed, and mapped to its volume.
 */
@WithAwsEmulator
class AwsSnapshotTakerIT {

    private static final Map<String, String> TAGS =
            Map.of("cloudconnector:job", "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", "cloudconnector:connector", "cc-test");

    private AwsClients clients;
    private StsClient sts;
    private Ec2Client ec2;
    private Ec2Assets assets;
    private AwsSnapshotTaker taker;
    private String region;

    @BeforeEach
    void clients(AwsEmulator emulator) {
        region = emulator.region();
        var aws = AwsProperties.of(region, emulator.endpoint()).withStaticCredentials("test", "test");
        var properties = new JobsProperties(
                JobsMode.AWS,
                2,
                20,
                3,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                4,
                0,
                true,
                null,
                Duration.ofHours(24),
                Duration.ofDays(30),
                Duration.ofMinutes(30),
                Duration.ofMinutes(10));
        clients = new AwsClients(aws);
        sts = new AwsClientFactory(aws).sync(StsClient.builder());
        ec2 = clients.in(region).ec2();
        assets = new Ec2Assets(clients, sts, properties);
        taker = new AwsSnapshotTaker(clients, new Snapshots(clients, properties, Clock.systemUTC()));
    }

    @AfterEach
    void close() {
        clients.close();
        sts.close();
    }

    @Test
    void anInstancesVolumesAreSnapshottedTogetherEachMappedToItsVolume() {
        var instance = ec2.runInstances(b -> b.imageId("ami-12c6146b")
                        .instanceType("t3.small")
                        .minCount(1)
                        .maxCount(1))
                .instances()
                .getFirst();
        String data = ec2.createVolume(
                        b -> b.availabilityZone(instance.placement().availabilityZone())
                                .size(2))
                .volumeId();
        ec2.attachVolume(b -> b.volumeId(data).instanceId(instance.instanceId()).device("/dev/sdf"));
        var facts = assets.instance(region, instance.instanceId()).orElseThrow();
        var volumes = facts.volumes().stream()
                .map(InstanceFacts.AttachedVolume::volume)
                .toList();
        assertThat(volumes).hasSize(2);

        var taken = taker.snapshot(region, instance.instanceId(), volumes, TAGS, () -> {});

        assertThat(taken.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        volumes.stream().map(VolumeFacts::volumeId).toList());
        for (var snapshot : describe(taken.values())) {
            assertThat(taken.get(snapshot.volumeId())).isEqualTo(snapshot.snapshotId());
            assertThat(snapshot.state()).isEqualTo(SnapshotState.COMPLETED);
            assertThat(tags(snapshot)).containsAllEntriesOf(TAGS);
        }
    }

    @Test
    void aVolumeAttachedAfterTheInstanceWasDescribedIsNeitherBackedUpNorLeftAsASnapshot() {
        var instance = ec2.runInstances(
                        b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1))
                .instances()
                .getFirst();
        var volumes = assets.instance(region, instance.instanceId()).orElseThrow().volumes().stream()
                .map(InstanceFacts.AttachedVolume::volume)
                .toList();
        String late = ec2.createVolume(
                        b -> b.availabilityZone(instance.placement().availabilityZone())
                                .size(1))
                .volumeId();
        ec2.attachVolume(b -> b.volumeId(late).instanceId(instance.instanceId()).device("/dev/sdg"));

        var taken = taker.snapshot(region, instance.instanceId(), volumes, TAGS, () -> {});

        assertThat(taken.keySet()).containsExactly(volumes.getFirst().volumeId());
        var ofLate = ec2.describeSnapshots(
                        b -> b.filters(f -> f.name("volume-id").values(late)))
                .snapshots();
        assertThat(ofLate).as("snapshots of the late volume").isEmpty();
    }

    @Test
    void aVolumeIsSnapshottedAlone() {
        String volume =
                ec2.createVolume(b -> b.availabilityZone(region + "a").size(1)).volumeId();
        var facts = assets.volume(region, volume).orElseThrow();

        var taken = taker.snapshot(region, null, List.of(facts), TAGS, () -> {});

        assertThat(taken).containsOnlyKeys(volume);
        var snapshot = describe(taken.values()).getFirst();
        assertThat(snapshot.volumeId()).isEqualTo(volume);
        assertThat(snapshot.state()).isEqualTo(SnapshotState.COMPLETED);
        assertThat(tags(snapshot)).containsAllEntriesOf(TAGS);
    }

    private List<Snapshot> describe(java.util.Collection<String> ids) {
        return ec2.describeSnapshots(b -> b.snapshotIds(ids)).snapshots();
    }

    private static Map<String, String> tags(Snapshot snapshot) {
        Map<String, String> tags = new HashMap<>();
        snapshot.tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }
}
