package io.cloudconnector.backgroundjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.job.JobState;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultMaintenanceRequested;
import io.cloudconnector.common.event.VaultPruned;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.scalez.repo.Repository;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import tools.jackson.databind.JsonNode;

/**
 * Vault maintenance run by the service in local mode against the emulator: after half a vault's points are deleted
 * it reclaims their data and reports it ({@code VaultPruned}, the job's result), finishes a forget left undone, is
 * safe while a backup writes into the vault, and names the damage a lost pack leaves.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.jobs.ebs-concurrency=4",
            // a one-day read-data cycle: every pack is in each run's sample, so checkedPacks counts them all
            "connector.jobs.maintenance-read-data=1d"
        })
@DirtiesContext
class VaultMaintenanceIT extends ServiceIntegrationTests {

    private static EmulatedVolumes volumes;
    private static OtherInboxes inboxes;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    JobStore jobs;

    @Autowired
    RecoveryPointStore points;

    @Autowired
    DynamoDbClient dynamo;

    @Autowired
    ServiceTable table;

    @Override
    protected String listPath() {
        return "/v1/backups";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @BeforeEach
    void volumes() {
        if (volumes == null) {
            volumes = new EmulatedVolumes(AwsEmulator.shared());
            inboxes = new OtherInboxes(AwsEmulator.shared());
        }
    }

    @AfterAll
    static void close() {
        volumes.close();
        inboxes.close();
        volumes = null;
    }

    @Test
    void maintenanceReclaimsTheDataOfDeletedPointsAndReportsIt() throws Exception {
        var vault = TestVaults.create(AwsEmulator.shared(), inbox, "maintained");
        List<String> ids = new ArrayList<>();
        List<Map<Long, byte[]>> contents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var data = EmulatedVolumes.blocks(100 + i, 0, 1, 2, 3, 4, 5, 6, 7);
            contents.add(data);
            ids.add(backUp(vault, volumes.volumeFrom(volumes.seed(1, data), 1)));
        }
        long storedBefore =
                TestVaults.read(AwsEmulator.shared(), vault, r -> r.stats().storedBytes());
        // Half the points are deleted by the tenant; one more was marked deleted here without its forget having
        // been carried out (a removal that failed half-way): the maintenance finishes it.
        for (int i = 0; i < 2; i++) {
            dispatch(new RecoveryPointDeleted(
                    ids.get(i),
                    vault.vaultId(),
                    points.find(ids.get(i)).orElseThrow().assetId(),
                    0));
        }
        markDeletedWithoutForgetting(ids.get(2));

        String jobId = Ids.job();
        var request = EventEnvelope.wrap(
                new VaultMaintenanceRequested(vault.vaultId(), jobId),
                TestTokens.CONNECTOR_ID,
                null,
                Clock.systemUTC());
        long started = System.nanoTime();
        inbox.dispatch(request);
        inbox.dispatch(request); // a redelivery starts nothing more
        var done = awaitEnd(jobId);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.kind()).isEqualTo(JobKind.VAULT_MAINTENANCE);
        var result = done.result();
        assertThat(result.recoveryPointsForgotten()).isEqualTo(1);
        assertThat(result.bytesFreed()).isPositive();
        assertThat(result.packsDeleted() + result.packsRepacked()).isPositive();
        assertThat(result.checkedPacks()).isPositive();
        assertThat(result.damage()).isEmpty();
        long storedAfter =
                TestVaults.read(AwsEmulator.shared(), vault, r -> r.stats().storedBytes());
        assertThat(storedAfter).isLessThan(storedBefore);
        // The figures of the note: bytes freed after deleting half the points, and the time maintenance took.
        System.out.printf(
                "Maintenance after deleting 3 of 6 points: %d of %d stored bytes freed (%d packs deleted, %d repacked), "
                        + "%d packs checked, job took %d ms%n",
                result.bytesFreed(),
                storedBefore,
                result.packsDeleted(),
                result.packsRepacked(),
                result.checkedPacks(),
                tookMillis);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var pruned = inboxes.of("catalog", VaultPruned.class).stream()
                    .filter(p -> p.jobId().equals(jobId))
                    .toList();
            assertThat(pruned).hasSize(1);
            assertThat(pruned.getFirst().bytesFreed()).isEqualTo(result.bytesFreed());
            assertThat(pruned.getFirst().storedBytes()).isEqualTo(storedAfter);
            assertThat(pruned.getFirst().damage()).isEmpty();
        });
        assertThat(inboxes.of("jobstatus", JobCreated.class).stream()
                        .filter(c -> c.jobId().equals(jobId)))
                .as("one job however often the request came")
                .hasSize(1);
        List<String> left = TestVaults.read(
                AwsEmulator.shared(),
                vault,
                r -> r.list().stream().map(p -> p.id()).toList());
        assertThat(left).containsExactlyInAnyOrderElementsOf(ids.subList(3, 6));
        assertThat(TestVaults.read(AwsEmulator.shared(), vault, Repository::checkReadData)
                        .isClean())
                .isTrue();
        var restored = restore(ids.get(4));
        assertThat(restored.state()).as(String.valueOf(restored.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        BackupAndRestoreIT.assertSameBlocks(volumes.read(restored.result().snapshotId()), contents.get(4));

        // A second run finds nothing more to reclaim.
        String again = Ids.job();
        dispatch(new VaultMaintenanceRequested(vault.vaultId(), again));
        var second = awaitEnd(again);
        assertThat(second.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(second.result().bytesFreed()).isZero();
        assertThat(second.result().recoveryPointsForgotten()).isZero();
    }

    @Test
    void maintenanceIsSafeWhileABackupWritesIntoTheVault() throws Exception {
        var vault = TestVaults.create(AwsEmulator.shared(), inbox, "busy");
        var old = EmulatedVolumes.blocks(300, 0, 1, 2, 3);
        String gone = backUp(vault, volumes.volumeFrom(volumes.seed(1, old), 1));
        dispatch(new RecoveryPointDeleted(
                gone, vault.vaultId(), points.find(gone).orElseThrow().assetId(), 0));
        var data = EmulatedVolumes.blocks(301, 0, 3, 9, 17, 100, 200, 300, 400, 500, 600, 700, 800);
        String volume = volumes.volumeFrom(volumes.seed(1, data), 1);

        var backup = post(
                "/v1/backups",
                "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                Scopes.BACKUPS_WRITE);
        assertThat(backup.statusCode()).as(backup.body()).isEqualTo(202);
        String backupJob = json(backup).get("jobId").asString();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> jobs.find(backupJob).orElseThrow().state() != JobState.QUEUED);
        String maintenance = Ids.job();
        dispatch(new VaultMaintenanceRequested(vault.vaultId(), maintenance));

        var backedUp = awaitEnd(backupJob);
        var maintained = awaitEnd(maintenance);
        assertThat(backedUp.state()).as(String.valueOf(backedUp.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(maintained.state())
                .as(String.valueOf(maintained.errorMessage()))
                .isEqualTo(JobState.SUCCEEDED);
        assertThat(maintained.result().damage()).isEmpty();
        assertThat(TestVaults.read(AwsEmulator.shared(), vault, Repository::checkReadData)
                        .isClean())
                .isTrue();
        var restored = restore(backedUp.result().recoveryPointId());
        assertThat(restored.state()).as(String.valueOf(restored.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        BackupAndRestoreIT.assertSameBlocks(volumes.read(restored.result().snapshotId()), data);
    }

    @Test
    void aLostPackIsReportedAsDamageNamingIt() throws Exception {
        var vault = TestVaults.create(AwsEmulator.shared(), inbox, "damaged");
        backUp(vault, volumes.volumeFrom(volumes.seed(1, EmulatedVolumes.blocks(400, 0, 1, 2)), 1));
        String pack;
        try (var s3 = ConnectorStack.clients(AwsEmulator.shared()).s3()) {
            pack = s3.listObjectsV2(b -> b.bucket(vault.bucketName()).prefix("packs/"))
                    .contents()
                    .getFirst()
                    .key();
            s3.deleteObject(b -> b.bucket(vault.bucketName()).key(pack));
        }

        String jobId = Ids.job();
        dispatch(new VaultMaintenanceRequested(vault.vaultId(), jobId));
        var done = awaitEnd(jobId);

        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        String packName = pack.substring(pack.lastIndexOf('/') + 1);
        assertThat(done.result().damage()).isNotEmpty().anyMatch(d -> d.contains(packName.substring(0, 12)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(inboxes.of("catalog", VaultPruned.class))
                        .anyMatch(p -> p.jobId().equals(jobId) && !p.damage().isEmpty()));
    }

    /**
     * Deleting a point whose Object Lock has not ended marks it deleted without forgetting it and without failing the
     * event; maintenance keeps it (it is still in the repository, still restorable from the vault's data) until the
     * lock ends.
     */
    @Test
    void aDeletedPointStillLockedStaysInTheVaultUntilItsLockEnds() throws Exception {
        var vault = TestVaults.create(AwsEmulator.shared(), inbox, "locked", 1);
        String id = backUp(vault, volumes.volumeFrom(volumes.seed(1, EmulatedVolumes.blocks(7, 0, 1, 2)), 1));
        var lock = TestVaults.read(AwsEmulator.shared(), vault, r -> r.lockState(id));
        assertThat(lock.lockedUntil()).isAfter(java.time.Instant.now());

        var deleted = new RecoveryPointDeleted(
                id, vault.vaultId(), points.find(id).orElseThrow().assetId(), 0);
        dispatch(deleted);
        dispatch(deleted); // a redelivery: still nothing thrown, nothing changed
        assertThat(points.find(id).orElseThrow().available()).isFalse();
        List<String> held = TestVaults.read(AwsEmulator.shared(), vault, VaultMaintenanceIT::pointIds);
        assertThat(held).as("Object Lock keeps it in the repository").contains(id);

        String jobId = Ids.job();
        dispatch(new VaultMaintenanceRequested(vault.vaultId(), jobId));
        var done = awaitEnd(jobId);
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result().recoveryPointsForgotten()).isZero();
        assertThat(done.result().damage()).isEmpty();
        List<String> after = TestVaults.read(AwsEmulator.shared(), vault, VaultMaintenanceIT::pointIds);
        assertThat(after).as("maintenance keeps it until its lock ends").contains(id);
    }

    @Test
    void aRequestForAVaultThisServiceDoesNotKnowEndsItsJobFailed() {
        String jobId = Ids.job();
        dispatch(new VaultMaintenanceRequested(Ids.vault(), jobId));
        var done = awaitEnd(jobId);
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.errorCode()).isEqualTo("vault-unavailable");
    }

    private static List<String> pointIds(Repository repository) {
        return repository.list().stream()
                .map(io.cloudconnector.scalez.model.RecoveryPoint::id)
                .toList();
    }

    private void markDeletedWithoutForgetting(String id) {
        dynamo.updateItem(b -> b.tableName(table.name())
                .key(Map.of(
                        ServiceTable.PK, AttributeValue.fromS("RP#" + id), ServiceTable.SK, AttributeValue.fromS("RP")))
                .updateExpression("SET #state = :deleted")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":deleted", AttributeValue.fromS("DELETED"))));
    }

    private String backUp(VaultCreated vault, String volume) throws Exception {
        var done = awaitEnd(json(post(
                        "/v1/backups",
                        "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        Scopes.BACKUPS_WRITE))
                .get("jobId")
                .asString());
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        return done.result().recoveryPointId();
    }

    private JobRecord restore(String pointId) throws Exception {
        return awaitEnd(json(post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"" + pointId + "\",\"target\":{\"type\":\"ebs-snapshot\"}}",
                        Scopes.RESTORES_WRITE))
                .get("jobId")
                .asString());
    }

    private void dispatch(ConnectorEvent event) {
        inbox.dispatch(EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
    }

    JobRecord awaitEnd(String jobId) {
        return await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> jobs.find(jobId).orElse(null),
                        job -> job != null && job.state().finished());
    }

    HttpResponse<String> post(String path, String body, String scope) throws Exception {
        return send("POST", path, body, bearerWith(scope));
    }

    static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }
}
