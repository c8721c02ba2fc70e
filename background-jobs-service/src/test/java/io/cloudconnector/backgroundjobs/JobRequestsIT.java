package io.cloudconnector.backgroundjobs;

import static io.cloudconnector.backgroundjobs.BackupAndRestoreIT.fields;
import static io.cloudconnector.backgroundjobs.BackupAndRestoreIT.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.IdempotencyContractTests;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What {@code POST /v1/backups} and {@code POST /v1/restores} refuse, checked against real EC2 lookups in the
 * emulator: every refusal is 4xx problem JSON naming the field, and creates no job (no item, no event). Also the
 * {@code Idempotency-Key} contract.
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
class JobRequestsIT extends ServiceIntegrationTests implements IdempotencyContractTests {

    private static VaultCreated vault;
    private static VaultCreated deleted;
    private static EmulatedVolumes volumes;
    private static OtherInboxes inboxes;
    private static String volume;
    private static @Nullable String contractPoint;

    @Autowired
    InboxDispatcher inbox;

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
    void vaultsAndAVolume() {
        var emulator = AwsEmulator.shared();
        if (vault == null) {
            vault = TestVaults.create(emulator, inbox, "requests");
            deleted = TestVaults.create(emulator, inbox, "gone");
            inbox.dispatch(EventEnvelope.wrap(
                    new VaultDeleted(deleted.vaultId()), TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
            // A creation delivered after the deletion must not bring the vault back.
            inbox.dispatch(EventEnvelope.wrap(deleted, TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
            volumes = new EmulatedVolumes(emulator);
            inboxes = new OtherInboxes(emulator);
            volume = volumes.volumeFrom(volumes.seed(1, EmulatedVolumes.blocks(5, 0)), 1);
        }
    }

    @AfterAll
    static void close() {
        volumes.close();
        inboxes.close();
        vault = null;
        contractPoint = null;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no asset                  | {\"vaultId\":\"$VAULT\"}                                              | 400 | assetId",
                "a malformed asset         | {\"assetId\":\"disk-1\",\"vaultId\":\"$VAULT\"}                          | 400 | assetId",
                "an ebs id naming an instance | {\"assetId\":\"aws:ebs:123456789012:us-east-1:i-0123456789abcdef0\",\"vaultId\":\"$VAULT\"} | 400 | assetId",
                "an unknown volume         | {\"assetId\":\"vol-0123456789abcdef0\",\"vaultId\":\"$VAULT\"}           | 400 | assetId",
                "an unknown instance       | {\"assetId\":\"i-0123456789abcdef0\",\"vaultId\":\"$VAULT\"}             | 400 | assetId",
                "another account           | {\"assetId\":\"aws:ebs:999999999999:us-east-1:$VOLUME\",\"vaultId\":\"$VAULT\"} | 400 | assetId",
                "a vault in another region | {\"assetId\":\"aws:ebs:123456789012:eu-central-1:$VOLUME\",\"vaultId\":\"$VAULT\"} | 400 | vaultId",
                "a malformed vault         | {\"assetId\":\"$VOLUME\",\"vaultId\":\"vault-1\"}                        | 400 | vaultId",
                "an unknown vault          | {\"assetId\":\"$VOLUME\",\"vaultId\":\"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4\"} | 400 | vaultId",
                "a deleted vault           | {\"assetId\":\"$VOLUME\",\"vaultId\":\"$DELETED\"}                       | 409 | vaultId",
                "a malformed snapshot      | {\"assetId\":\"$VOLUME\",\"vaultId\":\"$VAULT\",\"snapshotId\":\"snap\"}   | 400 | snapshotId",
                "an unknown snapshot       | {\"assetId\":\"$VOLUME\",\"vaultId\":\"$VAULT\",\"snapshotId\":\"snap-0123456789abcdef0\"} | 400 | snapshotId",
                "another volume's snapshot | {\"assetId\":\"$VOLUME\",\"vaultId\":\"$VAULT\",\"snapshotId\":\"$OTHER_SNAPSHOT\"} | 400 | snapshotId",
            })
    void aBackupRequestThatCannotRunIsRefusedNamingTheFieldAndCreatesNoJob(
            String what, String body, int status, String field) throws Exception {
        String otherSnapshot = volumes.seed(1, EmulatedVolumes.blocks(6, 1));
        int jobsBefore = jobItems();
        var response = send(
                "POST",
                "/v1/backups",
                body.replace("$VAULT", vault.vaultId())
                        .replace("$DELETED", deleted.vaultId())
                        .replace("$VOLUME", volume)
                        .replace("$OTHER_SNAPSHOT", otherSnapshot),
                bearerWith(Scopes.BACKUPS_WRITE));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains(field);
        if (status == 400) {
            assertThat(fields(response)).containsExactly(field);
        }
        assertThat(jobItems()).as("jobs").isEqualTo(jobsBefore);
    }

    @Test
    void anInstanceBackupTakesNoSnapshotId() throws Exception {
        var instance = volumes.ec2
                .runInstances(b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1))
                .instances()
                .getFirst()
                .instanceId();
        int jobsBefore = jobItems();

        var response = send(
                "POST",
                "/v1/backups",
                "{\"assetId\":\"" + instance + "\",\"vaultId\":\"" + vault.vaultId()
                        + "\",\"snapshotId\":\"snap-0123456789abcdef0\"}",
                bearerWith(Scopes.BACKUPS_WRITE));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(response)).containsExactly("snapshotId");
        assertThat(jobItems()).isEqualTo(jobsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no target          | {\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\"}                             | target",
                "a malformed point  | {\"recoveryPointId\":\"point-1\",\"target\":{\"type\":\"ebs-snapshot\"}}          | recoveryPointId",
                "an unknown point   | {\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\",\"target\":{\"type\":\"ebs-snapshot\"}} | recoveryPointId",
                "no target type     | {\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\",\"target\":{}}              | target.type",
            })
    void aRestoreRequestThatCannotRunIsRefusedNamingTheFieldAndCreatesNoJob(String what, String body, String field)
            throws Exception {
        int jobsBefore = jobItems();
        var response = send("POST", "/v1/restores", body, bearerWith(Scopes.RESTORES_WRITE));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(fields(response)).containsExactly(field);
        assertThat(jobItems()).isEqualTo(jobsBefore);
    }

    @Test
    void aRestoreTargetThatDoesNotFitThePointIsRefusedNamingEveryFieldAtFault() throws Exception {
        var backup = BackupAndRestoreIT.json(send(
                "POST",
                "/v1/backups",
                "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                bearerWith(Scopes.BACKUPS_WRITE)));
        var point = awaitPoint(backup.get("jobId").asString());
        int jobsBefore = jobItems();

        var wrongKind = send(
                "POST",
                "/v1/restores",
                "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":\"ec2-instance\"}}",
                bearerWith(Scopes.RESTORES_WRITE));
        var unknownType = send(
                "POST",
                "/v1/restores",
                "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":\"floppy\"}}",
                bearerWith(Scopes.RESTORES_WRITE));
        var misfit = send(
                "POST",
                "/v1/restores",
                "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":"
                        + "\"ebs-volume\",\"availabilityZone\":\"mars-1a\",\"instanceType\":\"m5.large\",\"subnetId\":\"subnet-1\"}}",
                bearerWith(Scopes.RESTORES_WRITE));

        assertThat(wrongKind.statusCode()).isEqualTo(400);
        assertThat(fields(wrongKind)).containsExactly("target.type");
        assertThat(json(wrongKind).get("detail").asString()).contains("ec2-instance restores an ec2 recovery point");
        assertThat(fields(unknownType)).containsExactly("target.type");
        assertThat(misfit.statusCode()).isEqualTo(400);
        assertThat(fields(misfit))
                .containsExactlyInAnyOrder("target.instanceType", "target.subnetId", "target.availabilityZone");
        assertThat(jobItems()).isEqualTo(jobsBefore);
    }

    @Test
    void aRepeatedKeyedRequestAnnouncesItsJobOnce() throws Exception {
        String body = "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}";
        var first =
                send("POST", "/v1/backups", body, bearerWith(Scopes.BACKUPS_WRITE), "Idempotency-Key", "nightly-42");
        var again =
                send("POST", "/v1/backups", body, bearerWith(Scopes.BACKUPS_WRITE), "Idempotency-Key", "nightly-42");

        String jobId = json(first).get("jobId").asString();
        assertThat(json(again).get("jobId").asString()).isEqualTo(jobId);
        awaitPoint(jobId);
        assertThat(inboxes.of("jobstatus", JobCreated.class))
                .filteredOn(e -> e.jobId().equals(jobId))
                .hasSize(1);
    }

    @Override
    public List<IdempotentEndpoint> idempotentEndpoints() {
        Supplier<String> backup = () -> "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}";
        Supplier<String> otherBackup = () -> "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId()
                + "\",\"snapshotId\":\"snap-0123456789abcdef0\"}";
        Supplier<String> restore =
                () -> "{\"recoveryPointId\":\"" + contractPoint() + "\",\"target\":{\"type\":\"ebs-snapshot\"}}";
        Supplier<String> otherRestore = () -> "{\"recoveryPointId\":\"" + contractPoint()
                + "\",\"target\":{\"type\":\"ebs-volume\",\"availabilityZone\":\"us-east-1a\"}}";
        return List.of(
                new IdempotentEndpoint("/v1/backups", Scopes.BACKUPS_WRITE, backup, otherBackup),
                new IdempotentEndpoint("/v1/restores", Scopes.RESTORES_WRITE, restore, otherRestore));
    }

    @Override
    public HttpResponse<String> contractPost(String path, @Nullable String json, String scope, String... headers)
            throws IOException, InterruptedException {
        return send("POST", path, json, bearerWith(scope), headers);
    }

    /** A recovery point to restore, made once by a backup. */
    private String contractPoint() {
        if (contractPoint == null) {
            try {
                var backup = json(send(
                        "POST",
                        "/v1/backups",
                        "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        bearerWith(Scopes.BACKUPS_WRITE)));
                contractPoint = awaitPoint(backup.get("jobId").asString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return contractPoint;
    }

    @Test
    void writingNeedsTheScopeOfTheOperation() throws Exception {
        String body = "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vault.vaultId() + "\"}";

        assertThat(send("POST", "/v1/backups", body, bearerWith(Scopes.RESTORES_WRITE))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(
                                "POST",
                                "/v1/restores",
                                "{\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\",\"target\":"
                                        + "{\"type\":\"ebs-snapshot\"}}",
                                bearerWith(Scopes.BACKUPS_WRITE))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/v1/backups", body, null).statusCode()).isEqualTo(401);
    }

    private String awaitPoint(String jobId) {
        return org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(90))
                .until(
                        () -> table.get("JOB#" + jobId, "JOB")
                                .map(i -> i.get("result"))
                                .map(r -> r.m().get("recoveryPointId")),
                        java.util.Optional::isPresent)
                .orElseThrow()
                .s();
    }

    private int jobItems() {
        return table.listNewestFirst("BACKUP", new io.cloudconnector.common.web.PageRequest(500, null))
                        .items()
                        .size()
                + table.listNewestFirst("RESTORE", new io.cloudconnector.common.web.PageRequest(500, null))
                        .items()
                        .size();
    }
}
