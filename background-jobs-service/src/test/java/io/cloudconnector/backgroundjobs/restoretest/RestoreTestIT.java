package io.cloudconnector.backgroundjobs.restoretest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.backgroundjobs.OtherInboxes;
import io.cloudconnector.backgroundjobs.TestVaults;
import io.cloudconnector.backgroundjobs.ebs.InstanceFacts;
import io.cloudconnector.backgroundjobs.ebs.VolumeFacts;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.job.JobState;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.recoverypoint.BackedUpVolume;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import tools.jackson.databind.JsonNode;

/**
 * Restore tests run by the service in local mode against the emulator: an ext4 volume backed up into a vault, restored
 * into a scratch snapshot through the EBS direct APIs, verified block by block and file by file, the scratch deleted
 * and the result announced to the catalog; a point whose packs were damaged fails with reasons and leaves nothing;
 * scratch left by a killed test is deleted by the next one; unknown and unavailable points are refused.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.policies.scheduler=local",
            "connector.policies.local-check-interval=1h"
        })
@DirtiesContext
class RestoreTestIT extends ServiceIntegrationTests {

    private static final String ASSET = "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:vol-0rtest";

    @TempDir
    static Path dir;

    static @Nullable VaultCreated vault;
    static @Nullable VaultCreated damagedVault;
    static String point = "";
    static String damaged = "";
    static String policyPoint = "";
    static String bootable = "";
    static String unbootable = "";
    private static final String POLICY_ASSET = "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:vol-00000000000c0de01";
    static @Nullable OtherInboxes inboxes;
    static @Nullable Ec2Client ec2;
    static @Nullable EbsClient ebs;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    RecoveryPointStore points;

    @Autowired
    JobStore jobs;

    @Autowired
    ServiceTable table;

    @Override
    protected String listPath() {
        return "/v1/restores";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @BeforeEach
    void backedUpVolumes() throws Exception {
        if (vault != null) {
            return;
        }
        var emulator = AwsEmulator.shared();
        var clients = ConnectorStack.clients(emulator);
        ec2 = clients.sync(Ec2Client.builder());
        ebs = clients.sync(EbsClient.builder());
        inboxes = new OtherInboxes(emulator);
        vault = TestVaults.create(emulator, inbox, "restore-tests");
        damagedVault = TestVaults.create(emulator, inbox, "damaged");
        var tree = Files.createDirectories(dir.resolve("tree"));
        var big = new byte[3 * 1024 * 1024 + 77];
        new Random(19).nextBytes(big);
        DiskImages.write(tree, "var/lib/big.bin", big);
        DiskImages.write(tree, "etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 40; i++) {
            DiskImages.write(
                    tree, "srv/d" + (i % 7) + "/f-" + i, ("n" + i).repeat(i + 1).getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(tree.resolve("home/bob/empty-dir"));
        var image = DiskImages.ext4(tree, dir.resolve("fs.img"), "32M");
        point = backup(vault, image);
        damaged = backup(damagedVault, image);
        policyPoint = backup(vault, image, POLICY_ASSET);

        // An instance's boot disk: an MBR with one Linux partition holding the same file system.
        long mib = 1 << 20;
        var disk = dir.resolve("boot.img");
        DiskImages.sparse(disk, 40 * mib);
        DiskImages.partition(disk, """
                label: dos
                start=1MiB, size=32MiB, type=83
                """);
        DiskImages.place(image, disk, mib);
        bootable = backupInstance(disk);
        // A "boot" volume that is a bare file system: no partition table, no boot signature.
        unbootable = backupInstance(image);
    }

    private String backup(VaultCreated into, Path image) {
        return backup(into, image, ASSET);
    }

    private String backup(VaultCreated into, Path image, String assetId) {
        String id = TestVaults.read(AwsEmulator.shared(), into, repository -> {
            try (var source = ImageFileSource.open(image)) {
                return repository.backupBlocks(source, BackupOptions.defaults()).id();
            }
        });
        points.record(known(into, id, RecoveryPointStatus.AVAILABLE, assetId));
        return id;
    }

    /** A one-volume EC2 point whose volume is the instance's root device. */
    private String backupInstance(Path image) {
        var into = Objects.requireNonNull(vault);
        String id = TestVaults.read(AwsEmulator.shared(), into, repository -> {
            try (var source = ImageFileSource.open(image)) {
                return repository.backupBlocks(source, BackupOptions.defaults()).id();
            }
        });
        var volume = new VolumeFacts(
                "vol-0000000000000b007", 1, "gp3", 3000, 125, false, null, "us-east-1a", null, Map.of());
        var instance = new InstanceFacts(
                "i-0000000000000b007",
                "t3.small",
                "ami-12c6146b",
                null,
                null,
                "us-east-1a",
                List.of(),
                Map.of("Name", "web-1"),
                "/dev/xvda",
                "x86_64",
                null,
                null,
                List.of(),
                List.of(new InstanceFacts.AttachedVolume("/dev/xvda", true, volume)),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        points.record(new KnownRecoveryPoint(
                id,
                into.vaultId(),
                "aws:ec2:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:i-0000000000000b007",
                RecoveryPointKind.EC2,
                Instant.now(),
                null,
                Ids.job(),
                1L << 30,
                List.of(new BackedUpVolume(volume, "/dev/xvda", true, "snap-0000000000000b007", false, 0)),
                instance,
                RecoveryPointStatus.AVAILABLE));
        return id;
    }

    private static KnownRecoveryPoint known(VaultCreated in, String id, RecoveryPointStatus status) {
        return known(in, id, status, ASSET);
    }

    private static KnownRecoveryPoint known(VaultCreated in, String id, RecoveryPointStatus status, String assetId) {
        var volume = new VolumeFacts("vol-0rtest", 1, "gp3", 3000, 125, false, null, "us-east-1a", null, Map.of());
        return new KnownRecoveryPoint(
                id,
                in.vaultId(),
                assetId,
                RecoveryPointKind.EBS,
                Instant.now(),
                null,
                Ids.job(),
                32L << 20,
                List.of(new BackedUpVolume(volume, null, false, "snap-0rtest", false, 0)),
                null,
                status);
    }

    @AfterAll
    static void close() {
        Objects.requireNonNull(inboxes).close();
        Objects.requireNonNull(ec2).close();
        Objects.requireNonNull(ebs).close();
        vault = null;
    }

    @Test
    void aSoundPointPassesWithItsRecoveryTimeAndLeavesNoScratch() throws Exception {
        var accepted = post("/v1/restore-tests", "{\"recoveryPointId\":\"" + point + "\"}", Scopes.RESTORES_WRITE);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);

        var done = awaitEnd(jobId);
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.kind()).isEqualTo(JobKind.RESTORE_TEST);
        var result = tested(jobId);
        assertThat(result.passed()).as(String.valueOf(result.reasons())).isTrue();
        assertThat(result.reasons()).isEmpty();
        assertThat(result.recoveryPointId()).isEqualTo(point);
        assertThat(result.assetId()).isEqualTo(ASSET);
        assertThat(result.recoveryTimeSeconds()).isPositive();
        assertThat(scratchOf(jobId)).isEmpty();
    }

    @Test
    void aPointWithDamagedPacksFailsWithReasonsAndLeavesNoScratch() throws Exception {
        var current = Objects.requireNonNull(damagedVault);
        try (var s3 = ConnectorStack.clients(AwsEmulator.shared()).s3()) {
            var packs = s3.listObjectsV2(b -> b.bucket(current.bucketName()).prefix("packs/"))
                    .contents();
            assertThat(packs).isNotEmpty();
            for (var pack : packs) {
                byte[] bytes = s3.getObjectAsBytes(
                                b -> b.bucket(current.bucketName()).key(pack.key()))
                        .asByteArray();
                for (int i = bytes.length / 4; i < bytes.length; i += 4096) {
                    bytes[i] ^= 0x5a;
                }
                s3.putObject(b -> b.bucket(current.bucketName()).key(pack.key()), RequestBody.fromBytes(bytes));
            }
        }
        String jobId = json(post(
                        "/v1/restore-tests", "{\"recoveryPointId\":\"" + damaged + "\"}", Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString();

        var done = awaitEnd(jobId);
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.errorCode()).isEqualTo("restore-test-failed");
        var result = tested(jobId);
        assertThat(result.passed()).isFalse();
        assertThat(result.reasons()).isNotEmpty().anySatisfy(r -> assertThat(r).startsWith("the restore failed"));
        assertThat(scratchOf(jobId)).isEmpty();
    }

    @Test
    void aPolicyWithRestoreTestsTestsTheNewestPointOfItsAssetOncePerPeriod() throws Exception {
        String body = "{\"name\":\"tested-" + Ids.ulid() + "\",\"vaultId\":\""
                + Objects.requireNonNull(vault).vaultId()
                + "\",\"schedule\":{\"expression\":\"rate(1 day)\"},\"selection\":{\"assetIds\":[\"" + POLICY_ASSET
                + "\"]},\"restoreTest\":{\"every\":\"P7D\"}}";
        var created = post("/v1/policies", body, Scopes.POLICIES_WRITE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("restoreTest").path("every").asString()).isEqualTo("P7D");
        String policyId = json(created).get("id").asString();

        var run = post("/v1/policies/" + policyId + ":run", "", Scopes.POLICIES_WRITE);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);

        var cadence = await().atMost(Duration.ofSeconds(30))
                .until(() -> table.get("RESTORE_TEST_CADENCE#" + POLICY_ASSET, "LAST"), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(cadence.get("recoveryPointId").s()).isEqualTo(policyPoint);
        String jobId = cadence.get("jobId").s();
        var done = awaitEnd(jobId);
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.parameter(JobRecord.POLICY_ID)).isEqualTo(policyId);
        assertThat(tested(jobId).passed()).isTrue();

        // Within the period, another run starts no second test.
        assertThat(post("/v1/policies/" + policyId + ":run", "", Scopes.POLICIES_WRITE)
                        .statusCode())
                .isEqualTo(202);
        assertThat(table.get("RESTORE_TEST_CADENCE#" + POLICY_ASSET, "LAST")
                        .orElseThrow()
                        .get("jobId")
                        .s())
                .isEqualTo(jobId);
    }

    @Test
    void anInstanceIsRestoredWithItsImageAndItsBootVolumeChecked() throws Exception {
        String jobId = json(post(
                        "/v1/restore-tests", "{\"recoveryPointId\":\"" + bootable + "\"}", Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString();
        var done = awaitEnd(jobId);
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        var result = tested(jobId);
        assertThat(result.passed()).as(String.valueOf(result.reasons())).isTrue();
        assertThat(result.recoveryTimeSeconds()).isPositive();
        assertThat(scratchOf(jobId)).as("the scratch snapshot and image").isEmpty();

        String failing = json(post(
                        "/v1/restore-tests", "{\"recoveryPointId\":\"" + unbootable + "\"}", Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString();
        var refused = awaitEnd(failing);
        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        var failed = tested(failing);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.reasons())
                .anySatisfy(r -> assertThat(r).contains("no boot signature"))
                .anySatisfy(r -> assertThat(r).contains("no partition table"));
        // Blocks and files matched: the only faults are the boot volume's.
        assertThat(failed.reasons()).allSatisfy(r -> assertThat(r).contains("boot volume"));
        assertThat(scratchOf(failing)).isEmpty();
    }

    @Test
    void scratchLeftByAKilledTestIsDeletedByTheNextButAnotherConnectorsIsNot() throws Exception {
        String killed = Ids.job();
        String leftover = scratchSnapshot(killed, TestTokens.CONNECTOR_ID);
        assertThat(scratchOf(killed)).containsExactly(leftover);
        String elsewhere = Ids.job();
        String others = scratchSnapshot(elsewhere, "cc-other");

        var done = awaitEnd(
                json(post("/v1/restore-tests", "{\"recoveryPointId\":\"" + point + "\"}", Scopes.RESTORES_WRITE))
                        .get("jobId")
                        .asString());

        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(scratchOf(killed)).isEmpty();
        assertThat(scratchOf(elsewhere)).containsExactly(others);
        Objects.requireNonNull(ec2).deleteSnapshot(b -> b.snapshotId(others));
    }

    @Test
    void unknownPointsAre404AndUnavailableOnes409() throws Exception {
        assertProblem(
                post(
                        "/v1/restore-tests",
                        "{\"recoveryPointId\":\"" + Ids.recoveryPoint() + "\"}",
                        Scopes.RESTORES_WRITE),
                404);
        assertProblem(post("/v1/restore-tests", "{\"recoveryPointId\":\"nope\"}", Scopes.RESTORES_WRITE), 404);
        assertProblem(post("/v1/restore-tests", "{}", Scopes.RESTORES_WRITE), 400);
        var current = Objects.requireNonNull(vault);
        String unwritten = Ids.recoveryPoint();
        points.record(known(current, unwritten, RecoveryPointStatus.AVAILABLE));
        assertProblem(
                post("/v1/restore-tests", "{\"recoveryPointId\":\"" + unwritten + "\"}", Scopes.RESTORES_WRITE), 409);
        String deleted = Ids.recoveryPoint();
        points.record(known(current, deleted, RecoveryPointStatus.DELETED));
        assertProblem(
                post("/v1/restore-tests", "{\"recoveryPointId\":\"" + deleted + "\"}", Scopes.RESTORES_WRITE), 409);
        var refused = post("/v1/restore-tests", "{\"recoveryPointId\":\"" + point + "\"}", Scopes.JOBS_READ);
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    /** A completed snapshot tagged as a restore test's scratch, as a killed test leaves it. */
    private static String scratchSnapshot(String jobId, String connectorId) {
        try (var sink = EbsSnapshotSink.create(
                Objects.requireNonNull(ebs),
                new EbsSnapshotSink.NewSnapshot(
                        "scratch of a killed test",
                        Map.of(ScratchResources.TAG, jobId, ScratchResources.CONNECTOR_TAG, connectorId),
                        false,
                        null,
                        UUID.randomUUID().toString(),
                        60),
                EbsTransferOptions.defaults())) {
            sink.start(1L << 30);
            sink.writeBlock(0, new byte[512 * 1024], 512 * 1024);
            sink.finish();
            return Objects.requireNonNull(sink.snapshotId());
        }
    }

    /** The snapshots and images tagged as {@code jobId}'s scratch. */
    private static List<String> scratchOf(String jobId) {
        var client = Objects.requireNonNull(ec2);
        var filter = Filter.builder()
                .name("tag:" + ScratchResources.TAG)
                .values(jobId)
                .build();
        var found = new java.util.ArrayList<String>();
        client.describeSnapshots(b -> b.ownerIds("self").filters(filter))
                .snapshots()
                .forEach(s -> found.add(s.snapshotId()));
        client.describeImages(b -> b.owners("self").filters(filter)).images().forEach(i -> found.add(i.imageId()));
        return found;
    }

    private RecoveryPointRestoreTested tested(String jobId) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> Objects.requireNonNull(inboxes).of("catalog", RecoveryPointRestoreTested.class).stream()
                                .filter(e -> e.jobId().equals(jobId))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    JobRecord awaitEnd(String jobId) {
        return await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.state().finished());
    }

    HttpResponse<String> post(String path, String body, String scope) throws Exception {
        return send("POST", path, body, bearerWith(scope));
    }

    static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }
}
