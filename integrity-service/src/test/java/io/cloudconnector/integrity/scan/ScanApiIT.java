package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.event.ScanReported;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.IdempotencyContractTests;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.integrity.testing.EmulatedVault;
import io.cloudconnector.integrity.testing.Inbox;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scan API and its events against the connector stack in the emulator: a vault and recovery points
 * announced on the bus as the catalog and background jobs do, scans run by the local executor with the
 * real engines, results read from the API and from the other services' inboxes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScanApiIT extends ServiceIntegrationTests implements IdempotencyContractTests {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    @Autowired
    ScanStore store;

    static EmulatedVault vault;
    static Inbox catalog;
    static Inbox jobstatus;
    static Path cleanImage;
    static Path infectedImage;
    static boolean announced;
    private static final List<String> CONTRACT_POINTS = new ArrayList<>();

    @DynamicPropertySource
    static void scanSettings(DynamicPropertyRegistry registry) {
        registry.add(
                "connector.integrity.scans.work-dir", () -> dir.resolve("work").toString());
        registry.add("connector.integrity.scans.threads", () -> "2");
    }

    @Override
    protected String listPath() {
        return "/v1/integrity/reports";
    }

    @Override
    protected String listScope() {
        return Scopes.INTEGRITY_READ;
    }

    /** Runs after the base class deployed the connector stack, before the Spring context starts. */
    @BeforeAll
    static void aVaultAndImages() {
        var clients = ConnectorStack.clients(AwsEmulator.shared());
        vault = EmulatedVault.create(clients);
        var sqs = clients.sync(SqsClient.builder());
        catalog = new Inbox(sqs, "cc-test-catalog-inbox");
        jobstatus = new Inbox(sqs, "cc-test-jobstatus-inbox");
        var tree = dir.resolve("tree");
        DiskImages.write(tree, "home/anna/notes.txt", "notes".getBytes(StandardCharsets.UTF_8));
        cleanImage = DiskImages.ext4(tree, dir.resolve("clean.img"), "16M");
        DiskImages.write(tree, "tmp/invoice.pdf.exe", EICAR.getBytes(StandardCharsets.US_ASCII));
        infectedImage = DiskImages.ext4(tree, dir.resolve("infected.img"), "16M");
    }

    /** Announces the vault once the service listens to its inbox. */
    private void vaultKnown() throws Exception {
        if (!announced) {
            vault.announce();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get("/v1/integrity/vaults", bearerWith(Scopes.INTEGRITY_READ))
                            .body()
                            .contains(vault.id()));
            announced = true;
        }
    }

    private String knownRecoveryPoint(Path image) throws Exception {
        vaultKnown();
        var rp = vault.backup(image);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> store.recoveryPoint(rp).isPresent());
        return rp;
    }

    private JsonNode reportOf(String rp) throws Exception {
        await().atMost(Duration.ofMinutes(2))
                .until(() -> JSON.readTree(get(
                                                "/v1/integrity/reports?recoveryPointId=" + rp,
                                                bearerWith(Scopes.INTEGRITY_READ))
                                        .body())
                                .path("items")
                                .size()
                        == 1);
        var id = JSON.readTree(get("/v1/integrity/reports?recoveryPointId=" + rp, bearerWith(Scopes.INTEGRITY_READ))
                        .body())
                .path("items")
                .get(0)
                .path("id")
                .asString();
        return JSON.readTree(get("/v1/integrity/reports/" + id, bearerWith(Scopes.INTEGRITY_READ))
                .body());
    }

    private List<EventEnvelope> eventsOf(Inbox inbox, String jobId) {
        return inbox.events().stream()
                .filter(e -> jobId.equals(e.correlationId()))
                .toList();
    }

    @Override
    public List<IdempotentEndpoint> idempotentEndpoints() {
        return List.of(
                new IdempotentEndpoint(
                        "/v1/scans",
                        Scopes.INTEGRITY_WRITE,
                        () -> "{\"recoveryPointId\":\"" + contractPoint(0) + "\"}",
                        () -> "{\"recoveryPointId\":\"" + contractPoint(1) + "\"}"),
                new IdempotentEndpoint("/v1/integrity/checks", Scopes.INTEGRITY_WRITE, () -> null, null));
    }

    @Override
    public HttpResponse<String> contractPost(String path, @Nullable String json, String scope, String... headers)
            throws IOException, InterruptedException {
        return send("POST", path, json, bearerWith(scope), headers);
    }

    /** One of two clean recovery points for the contract's scans, backed up once. */
    private String contractPoint(int which) {
        try {
            while (CONTRACT_POINTS.size() <= which) {
                CONTRACT_POINTS.add(knownRecoveryPoint(cleanImage));
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot back up a recovery point to scan", e);
        }
        return CONTRACT_POINTS.get(which);
    }

    @Test
    void scansOnRequestReportsTheInfectedFileAndAnnouncesTheVerdict() throws Exception {
        var rp = knownRecoveryPoint(infectedImage);
        var body = "{\"recoveryPointId\":\"" + rp + "\"}";

        var accepted = send("POST", "/v1/scans", body, bearerWith(Scopes.INTEGRITY_WRITE));

        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).path("jobId").asString();
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);
        var report = reportOf(rp);
        assertThat(report.path("kind").asString()).isEqualTo("scan");
        assertThat(report.path("verdict").asString()).isEqualTo("infected");
        assertThat(report.path("outcome").asString()).isEqualTo("fail");
        assertThat(report.path("jobId").asString()).isEqualTo(jobId);
        assertThat(report.path("details").path("detections").toString())
                .contains("\"path\":\"tmp/invoice.pdf.exe\"", "CloudConnector.Test.EICAR");
        String reportId = report.path("id").asString();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(catalog.events(RecoveryPointScanned.class))
                        .contains(new RecoveryPointScanned(
                                rp, vault.id(), EmulatedVault.ASSET, ScanVerdict.INFECTED, reportId)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(eventsOf(jobstatus, jobId))
                        .extracting(e -> e.payload().getClass().getSimpleName())
                        .startsWith("JobCreated", "JobStarted")
                        .endsWith("JobSucceeded")
                        .contains("JobProgressed"));
        var events = eventsOf(jobstatus, jobId);
        assertThat(events.getFirst().payload())
                .isEqualTo(new JobCreated(
                        jobId, io.cloudconnector.common.event.JobKind.SCAN, vault.id(), EmulatedVault.ASSET, rp));
        assertThat(events.get(1).payload()).isEqualTo(new JobStarted(jobId, null));
        var progress = events.stream()
                .map(EventEnvelope::payload)
                .filter(JobProgressed.class::isInstance)
                .map(JobProgressed.class::cast)
                .toList();
        assertThat(progress).extracting(JobProgressed::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(progress.getLast().bytesDone())
                .isEqualTo(progress.getLast().bytesTotal())
                .isPositive();
        // The files scanned go with the bytes: all of them at the end.
        var files = java.util.Objects.requireNonNull(progress.getLast().secondary());
        assertThat(files.unit()).isEqualTo("files");
        assertThat(files.done()).isEqualTo(files.total()).isPositive();
        assertThat(((JobSucceeded) events.getLast().payload()).result().reportId())
                .isEqualTo(reportId);
        assertThat(((JobSucceeded) events.getLast().payload()).result().verdict())
                .isEqualTo("infected");
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndStartNothing() throws Exception {
        int before = JSON.readTree(get("/v1/integrity/reports", bearerWith(Scopes.INTEGRITY_READ))
                        .body())
                .path("items")
                .size();
        var jobsBefore = jobstatus.events(JobCreated.class).size();

        var missing = send("POST", "/v1/scans", "{}", bearerWith(Scopes.INTEGRITY_WRITE));
        var malformed =
                send("POST", "/v1/scans", "{\"recoveryPointId\":\"vol-1\"}", bearerWith(Scopes.INTEGRITY_WRITE));
        var unknown = send(
                "POST",
                "/v1/scans",
                "{\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\"}",
                bearerWith(Scopes.INTEGRITY_WRITE));
        var notJson = send("POST", "/v1/scans", "{", bearerWith(Scopes.INTEGRITY_WRITE));
        var readOnly = send(
                "POST",
                "/v1/scans",
                "{\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\"}",
                bearerWith(Scopes.INTEGRITY_READ));
        var badKind = get("/v1/integrity/reports?kind=weekly", bearerWith(Scopes.INTEGRITY_READ));

        for (var response : List.of(missing, malformed, unknown)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.body()).contains("\"field\":\"recoveryPointId\"");
        }
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(badKind.body()).contains("\"field\":\"kind\"");
        assertThat(JSON.readTree(get("/v1/integrity/reports", bearerWith(Scopes.INTEGRITY_READ))
                                .body())
                        .path("items")
                        .size())
                .isEqualTo(before);
        assertThat(jobstatus.events(JobCreated.class)).hasSize(jobsBefore);
    }

    @Test
    void aVaultSetToAutoScanScansItsNewRecoveryPoints() throws Exception {
        vaultKnown();
        var invalid = send(
                "PUT", "/v1/integrity/vaults/" + vault.id() + "/settings", "{}", bearerWith(Scopes.INTEGRITY_WRITE));
        var unknownVault = send(
                "PUT",
                "/v1/integrity/vaults/vlt-nope/settings",
                "{\"autoScan\":true}",
                bearerWith(Scopes.INTEGRITY_WRITE));
        var set = send(
                "PUT",
                "/v1/integrity/vaults/" + vault.id() + "/settings",
                "{\"autoScan\":true}",
                bearerWith(Scopes.INTEGRITY_WRITE));

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"field\":\"autoScan\"");
        assertThat(unknownVault.statusCode()).isEqualTo(404);
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).path("autoScan").asBoolean()).isTrue();
        try {
            var rp = vault.backup(cleanImage);

            var report = reportOf(rp);

            assertThat(report.path("verdict").asString()).isEqualTo("clean");
            assertThat(report.path("details").path("counts").path("files").asLong())
                    .isEqualTo(1);
        } finally {
            send(
                    "PUT",
                    "/v1/integrity/vaults/" + vault.id() + "/settings",
                    "{\"autoScan\":false}",
                    bearerWith(Scopes.INTEGRITY_WRITE));
        }
    }

    @Test
    void aRecoveryPointWhosePolicyAsksForAScanIsScannedInAVaultWithoutAutoScan() throws Exception {
        vaultKnown();

        var rp = vault.backup(
                cleanImage,
                Map.of(
                        RecoveryPointLabels.SOURCE_POLICY_ID, "pol-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                        RecoveryPointLabels.SOURCE_SCAN_REQUESTED, "true"));

        assertThat(reportOf(rp).path("verdict").asString()).isEqualTo("clean");
    }

    @Test
    void aBatchWorkersReportIsStoredOnceAndAnnounced() throws Exception {
        var rp = knownRecoveryPoint(cleanImage);
        var job = new ScanJob(
                "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J5",
                rp,
                vault.id(),
                EmulatedVault.ASSET,
                null,
                "r-01JD3ZRX5KQ0M8YV5D3M0RZ2J5",
                ScanJob.State.QUEUED,
                ScanJob.Mode.BATCH,
                "batch-1",
                Instant.now());
        store.createJob(job);
        var reported = new ScanReported(
                job.id(),
                job.reportId(),
                rp,
                vault.id(),
                EmulatedVault.ASSET,
                ScanVerdict.SUSPICIOUS,
                Map.of("verdict", "suspicious", "reasons", List.of("ransomware: a test")));
        var worker = vault.publisher("integrity");

        worker.publish(reported, job.id());
        worker.publish(reported, job.id());

        var report = reportOf(rp);
        assertThat(report.path("id").asString()).isEqualTo(job.reportId());
        assertThat(report.path("verdict").asString()).isEqualTo("suspicious");
        assertThat(report.path("details").path("reasons").get(0).asString()).isEqualTo("ransomware: a test");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(catalog.events(RecoveryPointScanned.class))
                        .contains(new RecoveryPointScanned(
                                rp, vault.id(), EmulatedVault.ASSET, ScanVerdict.SUSPICIOUS, job.reportId())));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.job(job.id()).orElseThrow().state() == ScanJob.State.SUCCEEDED);
        assertThat(get("/v1/integrity/reports?kind=account", bearerWith(Scopes.INTEGRITY_READ))
                        .body())
                .doesNotContain(job.reportId());
    }
}
