package io.cloudconnector.backgroundjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.job.JobState;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobPhaseTiming;
import io.cloudconnector.common.event.JobPhases;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.serve.ScalezServer;
import io.cloudconnector.scalez.serve.ScalezServers;
import io.cloudconnector.scalez.serve.ServerOptions;
import io.cloudconnector.scalez.serve.ServerTokens;
import io.cloudconnector.scalez.serve.SharedWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.kms.KmsClient;
import tools.jackson.databind.JsonNode;

/**
 * Backups and restores run by the service in local mode against the emulator, through the real EBS direct APIs,
 * S3, KMS and the event bus: an EBS volume (full, then incremental) and an EC2 instance with two volumes, each
 * restored and read back block for block. The emulator's volumes hold no data: their content is seeded through
 * the direct APIs and the service's emulator shim snapshots it (see EmulatedVolumes).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.jobs.ebs-concurrency=4"
        })
// The emulator is reset before each class: a context cached from another class would talk to resources that are gone.
@DirtiesContext
class BackupAndRestoreIT extends ServiceIntegrationTests {

    private static final int BLOCK = EmulatedVolumes.BLOCK;
    private static VaultCreated vault;
    private static EmulatedVolumes volumes;
    private static OtherInboxes inboxes;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    JobStore jobs;

    @Autowired
    RecoveryPointStore points;

    @Override
    protected String listPath() {
        return "/v1/restores";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @BeforeEach
    void vaultAndVolumes() {
        var emulator = AwsEmulator.shared();
        if (vault == null) {
            vault = TestVaults.create(emulator, inbox, "backups");
            volumes = new EmulatedVolumes(emulator);
            inboxes = new OtherInboxes(emulator);
        }
    }

    @AfterAll
    static void close() {
        volumes.close();
        inboxes.close();
        vault = null;
    }

    @Test
    void anEbsVolumeIsBackedUpFullyThenIncrementallyAndRestoredByteForByte() throws Exception {
        var first = EmulatedVolumes.blocks(1, 0, 1, 2, 5, 100, 1000, 2047);
        var volume = volumes.volumeFrom(volumes.seed(1, first), 1);

        var backup = post(
                "/v1/backups",
                "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                Scopes.BACKUPS_WRITE);
        assertThat(backup.statusCode()).as(backup.body()).isEqualTo(202);
        String jobId = json(backup).get("jobId").asString();
        assertThat(backup.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);
        var done = awaitEnd(jobId);
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        String fullId = done.result().recoveryPointId();

        String assetId = "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:" + volume;
        var full = points.find(fullId).orElseThrow();
        assertThat(full.assetId()).isEqualTo(assetId);
        assertThat(full.kind()).isEqualTo(RecoveryPointKind.EBS);
        var fullManifest = TestVaults.read(AwsEmulator.shared(), vault, r -> r.recoveryPoint(fullId));
        assertThat(fullManifest.labels())
                .containsEntry(RecoveryPointLabels.ASSET_ID, assetId)
                .containsEntry(RecoveryPointLabels.KIND, "ebs")
                .containsEntry(RecoveryPointLabels.JOB_ID, jobId)
                .containsEntry("cc.source.volume-id", volume)
                .containsEntry(
                        "cc.source.snapshot-id", full.volumes().getFirst().snapshotId());
        assertThat(fullManifest.bytesProcessed()).isEqualTo(7L * BLOCK);
        assertThat(fullManifest.logicalSize()).isEqualTo(1L << 30);

        // 2 of the 7 blocks change (blocks that held data before: the emulator's ListChangedBlocks misses new ones).
        var second = new HashMap<>(first);
        second.put(2L, EmulatedVolumes.block(9002));
        second.put(1000L, EmulatedVolumes.block(9100));
        volumes.setContent(volume, volumes.seed(1, second));
        var incremental = awaitEnd(json(post(
                        "/v1/backups",
                        "{\"assetId\":\"" + assetId + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        Scopes.BACKUPS_WRITE))
                .get("jobId")
                .asString());
        assertThat(incremental.state())
                .as(String.valueOf(incremental.errorMessage()))
                .isEqualTo(JobState.SUCCEEDED);
        String incrementalId = incremental.result().recoveryPointId();
        var manifest = TestVaults.read(AwsEmulator.shared(), vault, r -> r.recoveryPoint(incrementalId));
        assertThat(manifest.parent()).isEqualTo(fullId);
        assertThat(manifest.bytesProcessed()).isEqualTo(2L * BLOCK);
        assertThatSnapshotIsGone(full.volumes().getFirst().snapshotId());

        var created = inboxes.of("catalog", RecoveryPointCreated.class);
        assertThat(created).extracting(RecoveryPointCreated::recoveryPointId).contains(fullId, incrementalId);
        var announced = created.stream()
                .filter(e -> e.recoveryPointId().equals(incrementalId))
                .findFirst()
                .orElseThrow();
        assertThat(announced.parentRecoveryPointId()).isEqualTo(fullId);
        assertThat(announced.logicalBytes()).isEqualTo(1L << 30);
        assertThat(announced.storedBytes()).isPositive().isLessThan(2L * BLOCK);
        assertThat(announced.source())
                .containsEntry("bytes-processed", Long.toString(2L * BLOCK))
                .containsEntry("volume-id", volume)
                .containsKey("snapshot-id");

        var toVolume = awaitEnd(json(post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"" + incrementalId
                                + "\",\"target\":{\"type\":\"ebs-volume\",\"availabilityZone\":\"us-east-1b\"}}",
                        Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString());
        assertThat(toVolume.state()).as(String.valueOf(toVolume.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertSameBlocks(volumes.read(toVolume.result().snapshotId()), second);
        var restoredVolume = volumes.ec2
                .describeVolumes(b -> b.volumeIds(toVolume.result().volumeId()))
                .volumes()
                .getFirst();
        assertThat(restoredVolume.snapshotId()).isEqualTo(toVolume.result().snapshotId());
        assertThat(restoredVolume.availabilityZone()).isEqualTo("us-east-1b");

        var toSnapshot = awaitEnd(json(post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"" + fullId + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                        Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString());
        assertThat(toSnapshot.state()).isEqualTo(JobState.SUCCEEDED);
        assertSameBlocks(volumes.read(toSnapshot.result().snapshotId()), first);
        assertThat(toSnapshot.result().volumeId()).isNull();

        assertThat(inboxes.of("jobstatus", JobCreated.class))
                .extracting(JobCreated::jobId)
                .contains(jobId);
        assertThat(inboxes.of("jobstatus", JobStarted.class))
                .extracting(JobStarted::jobId)
                .contains(jobId);
        assertThat(inboxes.of("jobstatus", JobSucceeded.class))
                .filteredOn(e -> e.jobId().equals(jobId))
                .extracting(e -> e.result().recoveryPointId())
                .containsExactly(fullId);
        // Progress goes out on its own thread: the final report may reach the queue after JobSucceeded.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var progress = inboxes.of("jobstatus", JobProgressed.class).stream()
                    .filter(e -> e.jobId().equals(jobId))
                    .toList();
            assertThat(progress)
                    .isNotEmpty()
                    .last()
                    .satisfies(p -> assertThat(p.bytesDone()).isEqualTo(p.bytesTotal()));
            assertThat(progress).extracting(JobProgressed::sequence).isSorted().doesNotHaveDuplicates();
        });
        // Each run reports its phases in the order they began, the incremental's with the old base's cleanup.
        assertPhases(
                jobId,
                JobPhases.QUEUED,
                JobPhases.WORKER_START,
                JobPhases.REPOSITORY_OPEN,
                JobPhases.SNAPSHOT,
                JobPhases.READ,
                JobPhases.UPLOAD,
                JobPhases.COMMIT,
                JobPhases.CATALOG);
        assertPhases(
                incremental.id(),
                JobPhases.QUEUED,
                JobPhases.WORKER_START,
                JobPhases.REPOSITORY_OPEN,
                JobPhases.SNAPSHOT,
                JobPhases.READ,
                JobPhases.UPLOAD,
                JobPhases.COMMIT,
                JobPhases.CATALOG,
                JobPhases.CLEANUP);
    }

    /** The job's last progress report carries exactly these phases, each beginning where the one before ended. */
    private void assertPhases(String jobId, String... names) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var last = inboxes.of("jobstatus", JobProgressed.class).stream()
                    .filter(e -> e.jobId().equals(jobId))
                    .reduce((a, b) -> b.sequence() > a.sequence() ? b : a)
                    .orElseThrow();
            assertThat(last.phases()).extracting(JobPhaseTiming::phase).containsExactly(names);
            var phases = last.phases();
            for (int i = 1; i < phases.size(); i++) {
                assertThat(phases.get(i).startedAt())
                        .as(
                                "%s starts when %s ends",
                                phases.get(i).phase(), phases.get(i - 1).phase())
                        .isEqualTo(phases.get(i - 1).endedAt());
            }
        });
    }

    @Test
    void anInstanceWithTwoVolumesIsBackedUpAsOnePointAndRestoredAsANewInstance() throws Exception {
        var data = EmulatedVolumes.blocks(3, 0, 7, 4095);
        var subnet = volumes.ec2.describeSubnets().subnets().getFirst();
        var instance = volumes.ec2
                .runInstances(b -> b.imageId("ami-12c6146b")
                        .instanceType("t3.small")
                        .minCount(1)
                        .maxCount(1)
                        .subnetId(subnet.subnetId())
                        .tagSpecifications(t -> t.resourceType("instance")
                                .tags(g -> g.key("Name").value("web-1"))))
                .instances()
                .getFirst();
        String dataVolume = volumes.volumeFrom(volumes.seed(2, data), 2);
        volumes.ec2.attachVolume(
                b -> b.volumeId(dataVolume).instanceId(instance.instanceId()).device("/dev/sdf"));

        var backup = awaitEnd(json(post(
                        "/v1/backups",
                        "{\"assetId\":\"" + instance.instanceId() + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        Scopes.BACKUPS_WRITE))
                .get("jobId")
                .asString());
        assertThat(backup.state()).as(String.valueOf(backup.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        var point = points.find(backup.result().recoveryPointId()).orElseThrow();
        assertThat(point.kind()).isEqualTo(RecoveryPointKind.EC2);
        assertThat(point.volumes()).extracting(v -> v.deviceName()).containsExactly("/dev/sda1", "/dev/sdf");
        assertThat(point.instance().instanceType()).isEqualTo("t3.small");
        assertThat(point.instance().tags()).containsEntry("Name", "web-1");
        assertThat(point.logicalBytes()).isEqualTo((8L << 30) + (2L << 30));

        var restore = awaitEnd(json(post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"" + point.id()
                                + "\",\"target\":{\"type\":\"ec2-instance\",\"instanceType\":\"m5.large\"}}",
                        Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString());
        assertThat(restore.state()).as(String.valueOf(restore.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        var launched = volumes.ec2
                .describeInstances(b -> b.instanceIds(restore.result().instanceId()))
                .reservations()
                .getFirst()
                .instances()
                .getFirst();
        assertThat(launched.instanceTypeAsString()).isEqualTo("m5.large");
        assertThat(launched.subnetId()).isEqualTo(subnet.subnetId());
        assertThat(launched.tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("Name=web-1"))
                .anySatisfy(t ->
                        assertThat(t.key() + "=" + t.value()).isEqualTo("cloudconnector:restored-from=" + point.id()));
        Map<String, String> snapshotByDevice = new HashMap<>();
        for (var mapping : launched.blockDeviceMappings()) {
            var volume = volumes.ec2
                    .describeVolumes(b -> b.volumeIds(mapping.ebs().volumeId()))
                    .volumes()
                    .getFirst();
            snapshotByDevice.put(mapping.deviceName(), volume.snapshotId());
        }
        assertThat(snapshotByDevice).containsOnlyKeys("/dev/sda1", "/dev/sdf");
        assertSameBlocks(volumes.read(snapshotByDevice.get("/dev/sdf")), data);
        assertThat(volumes.read(snapshotByDevice.get("/dev/sda1"))).isEmpty();
    }

    @Test
    void anExpiredPointIsForgottenInTheVaultItsSnapshotDeletedAndNoLongerRestorable() throws Exception {
        var volume = volumes.volumeFrom(volumes.seed(1, EmulatedVolumes.blocks(4, 3)), 1);
        var backup = awaitEnd(json(post(
                        "/v1/backups",
                        "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        Scopes.BACKUPS_WRITE))
                .get("jobId")
                .asString());
        var point = points.find(backup.result().recoveryPointId()).orElseThrow();
        var expired = EventEnvelope.wrap(
                new RecoveryPointExpired(point.id(), vault.vaultId(), point.assetId()),
                TestTokens.CONNECTOR_ID,
                null,
                Clock.systemUTC());

        inbox.dispatch(expired);
        // A redelivery (another envelope of the same fact) changes nothing.
        inbox.dispatch(EventEnvelope.wrap(expired.payload(), TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));

        assertThat(points.find(point.id()).orElseThrow().available()).isFalse();
        List<String> left = TestVaults.read(
                AwsEmulator.shared(),
                vault,
                r -> r.list().stream().map(p -> p.id()).toList());
        assertThat(left).doesNotContain(point.id());
        assertThatSnapshotIsGone(point.volumes().getFirst().snapshotId());
        var restore = post(
                "/v1/restores",
                "{\"recoveryPointId\":\"" + point.id() + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                Scopes.RESTORES_WRITE);
        assertThat(restore.statusCode()).isEqualTo(409);
        assertThat(fields(restore)).containsExactly("recoveryPointId");
        // Expired, or already deleted: the expiry carried out is announced as a deletion (so the catalog and the
        // inventory see the point gone), which comes back to this service's inbox too.
        assertThat(restore.body()).containsPattern("is (expired|deleted)");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(inboxes.of("catalog", RecoveryPointDeleted.class))
                        .anyMatch(d -> d.recoveryPointId().equals(point.id())));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> points.find(point.id()).orElseThrow().status()
                        == io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus.DELETED);
    }

    @Test
    void aDeletedPointIsForgottenOnlyItsOwnSnapshotDeletedWhateverTheOrderOfDeletionAndExpiry() throws Exception {
        var volume = volumes.volumeFrom(volumes.seed(1, EmulatedVolumes.blocks(6, 1, 9)), 1);
        String body = "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}";
        var older = points.find(awaitEnd(json(post("/v1/backups", body, Scopes.BACKUPS_WRITE))
                                .get("jobId")
                                .asString())
                        .result()
                        .recoveryPointId())
                .orElseThrow();
        var newer = points.find(awaitEnd(json(post("/v1/backups", body, Scopes.BACKUPS_WRITE))
                                .get("jobId")
                                .asString())
                        .result()
                        .recoveryPointId())
                .orElseThrow();
        String newerSnapshot = newer.volumes().getFirst().snapshotId();

        // The tenant deletes the newer point; the deletion is delivered twice, then a late expiry of it arrives.
        var deleted = EventEnvelope.wrap(
                new RecoveryPointDeleted(newer.id(), vault.vaultId(), newer.assetId(), 0),
                TestTokens.CONNECTOR_ID,
                null,
                Clock.systemUTC());
        inbox.dispatch(deleted);
        inbox.dispatch(deleted);
        inbox.dispatch(EventEnvelope.wrap(
                new RecoveryPointExpired(newer.id(), vault.vaultId(), newer.assetId()),
                TestTokens.CONNECTOR_ID,
                null,
                Clock.systemUTC()));

        assertThat(points.find(newer.id()).orElseThrow().status())
                .as("a late expiry does not undo the deletion")
                .isEqualTo(io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus.DELETED);
        List<String> left = TestVaults.read(
                AwsEmulator.shared(),
                vault,
                r -> r.list().stream().map(p -> p.id()).toList());
        assertThat(left).contains(older.id()).doesNotContain(newer.id());
        assertThatSnapshotIsGone(newerSnapshot);
        var restore = post(
                "/v1/restores",
                "{\"recoveryPointId\":\"" + newer.id() + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                Scopes.RESTORES_WRITE);
        assertThat(restore.statusCode()).isEqualTo(409);
        assertThat(fields(restore)).containsExactly("recoveryPointId");
        assertThat(restore.body()).contains("deleted");
        // The older point is untouched and still restores; the vault is consistent.
        var restored = awaitEnd(json(post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"" + older.id() + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                        Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString());
        assertThat(restored.state()).as(String.valueOf(restored.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertSameBlocks(volumes.read(restored.result().snapshotId()), EmulatedVolumes.blocks(6, 1, 9));
        assertThat(TestVaults.read(AwsEmulator.shared(), vault, Repository::check)
                        .isClean())
                .isTrue();
    }

    @Test
    void aBackupWritesThroughTheVaultsRegisteredScalezServerAndRestoresByteForByte() throws Exception {
        var emulator = AwsEmulator.shared();
        var served = TestVaults.create(emulator, inbox, "served");
        // The vault stack's table, <connectorId>-<vaultId>, where the provisioner registers the vault's server.
        String table = TestTokens.CONNECTOR_ID + "-" + served.vaultId();
        var clients = ConnectorStack.clients(emulator);
        try (var dynamo = clients.sync(DynamoDbClient.builder());
                var s3 = clients.s3();
                var kms = clients.sync(KmsClient.builder())) {
            var repository = Repository.open(
                    new S3BlobStore(s3, served.bucketName(), ""),
                    new KeyCredential.KmsKey(kms, served.kmsKeyArn(), served.vaultId()));
            String token = "token-" + served.vaultId();
            try (var writer = SharedWriter.open(repository, 1);
                    var server = ScalezServer.start(
                            writer,
                            ServerOptions.defaults(new InetSocketAddress("127.0.0.1", 0), ServerTokens.sha256(token)),
                            e -> {})) {
                // A table without a registration: the backup writes by itself, the server sees nothing.
                var alone = EmulatedVolumes.blocks(21, 0, 3, 9, 400);
                var aloneJob = awaitEnd(json(post(
                                "/v1/backups",
                                "{\"assetId\":\"" + volumes.volumeFrom(volumes.seed(1, alone), 1) + "\",\"vaultId\":\""
                                        + served.vaultId() + "\"}",
                                Scopes.BACKUPS_WRITE))
                        .get("jobId")
                        .asString());
                assertThat(aloneJob.state())
                        .as(String.valueOf(aloneJob.errorMessage()))
                        .isEqualTo(JobState.SUCCEEDED);
                assertThat(writer.stats().blobsStored()).isZero();

                // Registered as the provisioner does: the next backup's blobs go through the server.
                dynamo.putItem(b -> b.tableName(table)
                        .item(Map.of(
                                "pk",
                                AttributeValue.fromS(ScalezServers.PARTITION),
                                "sk",
                                AttributeValue.fromS("srv-test"),
                                "endpoint",
                                AttributeValue.fromS(server.endpoint().toString()),
                                "token",
                                AttributeValue.fromS(token),
                                "certificateSha256",
                                AttributeValue.fromS(server.certificateSha256()),
                                "state",
                                AttributeValue.fromS(ScalezServers.RUNNING),
                                "startedAt",
                                AttributeValue.fromS(Instant.now().toString()),
                                "expiresAt",
                                AttributeValue.fromN(Long.toString(
                                        Instant.now().plusSeconds(600).getEpochSecond())))));
                var data = EmulatedVolumes.blocks(22, 0, 1, 5, 77, 1500);
                // One block the vault holds already (from the backup above): the server is told, not sent, it.
                data.put(3L, alone.get(3L));
                var job = awaitEnd(json(post(
                                "/v1/backups",
                                "{\"assetId\":\"" + volumes.volumeFrom(volumes.seed(1, data), 1) + "\",\"vaultId\":\""
                                        + served.vaultId() + "\"}",
                                Scopes.BACKUPS_WRITE))
                        .get("jobId")
                        .asString());
                assertThat(job.state()).as(String.valueOf(job.errorMessage())).isEqualTo(JobState.SUCCEEDED);

                var stats = writer.stats();
                assertThat(stats.blobsStored()).as("blobs the server stored").isGreaterThanOrEqualTo(5);
                assertThat(stats.indexFilesWritten()).isPositive();
                String pointId = job.result().recoveryPointId();
                var manifest = TestVaults.read(emulator, served, r -> r.recoveryPoint(pointId));
                assertThat(manifest.bytesProcessed()).isEqualTo(6L * BLOCK);

                var restored = awaitEnd(json(post(
                                "/v1/restores",
                                "{\"recoveryPointId\":\"" + pointId + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                                Scopes.RESTORES_WRITE))
                        .get("jobId")
                        .asString());
                assertThat(restored.state())
                        .as(String.valueOf(restored.errorMessage()))
                        .isEqualTo(JobState.SUCCEEDED);
                assertSameBlocks(volumes.read(restored.result().snapshotId()), data);
                // A check of the whole repository: what the server and the lone backup wrote is one consistent vault.
                assertThat(TestVaults.read(emulator, served, Repository::check).isClean())
                        .isTrue();
            }
        }
    }

    private void assertThatSnapshotIsGone(String snapshotId) {
        try {
            var left = volumes.ec2
                    .describeSnapshots(b -> b.snapshotIds(snapshotId))
                    .snapshots();
            assertThat(left).as("snapshot %s", snapshotId).isEmpty();
        } catch (Ec2Exception e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSnapshot.NotFound");
        }
    }

    static void assertSameBlocks(Map<Long, byte[]> actual, Map<Long, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((index, data) ->
                assertThat(actual.get(index)).as("block %d", index).isEqualTo(data));
    }

    JobRecord awaitEnd(String jobId) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.state().finished());
    }

    HttpResponse<String> post(String path, String body, String scope, String... headers) throws Exception {
        return send("POST", path, body, bearerWith(scope), headers);
    }

    static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }

    static List<String> fields(HttpResponse<String> response) {
        return json(response)
                .path("errors")
                .valueStream()
                .map(e -> e.path("field").asString())
                .toList();
    }
}
