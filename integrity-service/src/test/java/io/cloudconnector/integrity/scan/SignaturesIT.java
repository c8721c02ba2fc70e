package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.integrity.config.IntegrityProperties;
import io.cloudconnector.integrity.signatures.Freshness;
import io.cloudconnector.integrity.signatures.SignatureSchedule;
import io.cloudconnector.integrity.signatures.Signatures;
import io.cloudconnector.integrity.signatures.TestMirror;
import io.cloudconnector.integrity.testing.EmulatedVault;
import io.cloudconnector.integrity.testing.Inbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fresh signatures, end to end in the emulator with the production settings (the built-in set is not accepted):
 * before any update a scan that finds nothing is {@code unknown} ({@code signatures-stale}); {@code POST
 * /v1/integrity/signatures:update} runs the real freshclam against a private mirror on the loopback (serving an
 * unsigned custom database sigtool built: ClamAV's own {@code .cvd}s carry ClamAV's signature, which no test can
 * make — {@code FreshclamIT} shows freshclam refusing a forged one from the mirror), stores the copy in the connector's
 * bucket, {@code GET /v1/integrity/signatures} shows its version and age, and a scan loads it from the bucket: a file
 * only the new database knows is found, and a clean point is {@code clean}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.integrity.signatures.accept-built-in=false",
            "connector.integrity.signatures.schedule=-",
            "connector.integrity.signatures.databases=",
            "connector.integrity.scans.threads=2"
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignaturesIT extends ServiceIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String MARKER = "CLOUDCONNECTOR-FRESH-SIGNATURE-TEST-7f3a";
    static final Path DIR;
    static final TestMirror MIRROR;

    static {
        try {
            DIR = Files.createTempDirectory("signatures-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MIRROR = new TestMirror(DIR.resolve("mirror"));
        MIRROR.database(
                "fresh",
                "cud",
                27_001,
                "CloudConnector.Test.FreshSignature:0:*:"
                        + HexFormat.of().formatHex(MARKER.getBytes(StandardCharsets.US_ASCII)) + "\n");
    }

    @Autowired
    ScanStore store;

    @Autowired
    Signatures signatures;

    @Autowired
    SignatureSchedule schedule;

    @Autowired
    IntegrityProperties properties;

    static EmulatedVault vault;
    static Inbox jobstatus;
    static Path cleanImage;
    static Path markedImage;
    static boolean announced;

    @DynamicPropertySource
    static void mirror(DynamicPropertyRegistry registry) {
        registry.add("connector.integrity.signatures.mirrors", MIRROR::url);
        registry.add("connector.integrity.signatures.custom-urls", () -> MIRROR.url() + "/fresh.cud");
        registry.add(
                "connector.integrity.scans.work-dir", () -> DIR.resolve("work").toString());
    }

    @Override
    protected String listPath() {
        return "/v1/integrity/reports";
    }

    @Override
    protected String listScope() {
        return Scopes.INTEGRITY_READ;
    }

    @BeforeAll
    static void aVaultAndImages() {
        var clients = ConnectorStack.clients(AwsEmulator.shared());
        vault = EmulatedVault.create(clients);
        jobstatus = new Inbox(clients.sync(SqsClient.builder()), "cc-test-jobstatus-inbox");
        var tree = DIR.resolve("tree");
        DiskImages.write(tree, "home/anna/notes.txt", "notes".getBytes(StandardCharsets.UTF_8));
        cleanImage = DiskImages.ext4(tree, DIR.resolve("clean.img"), "16M");
        DiskImages.write(
                tree, "srv/new-threat.bin", ("header " + MARKER + " trailer").getBytes(StandardCharsets.US_ASCII));
        markedImage = DiskImages.ext4(tree, DIR.resolve("marked.img"), "16M");
    }

    private JsonNode scan(Path image) throws Exception {
        if (!announced) {
            vault.announce();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get("/v1/integrity/vaults", bearerWith(Scopes.INTEGRITY_READ))
                            .body()
                            .contains(vault.id()));
            announced = true;
        }
        var rp = vault.backup(image);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> store.recoveryPoint(rp).isPresent());
        var accepted =
                send("POST", "/v1/scans", "{\"recoveryPointId\":\"" + rp + "\"}", bearerWith(Scopes.INTEGRITY_WRITE));
        assertThat(accepted.statusCode()).isEqualTo(202);
        var list = "/v1/integrity/reports?recoveryPointId=" + rp;
        await().atMost(Duration.ofMinutes(3))
                .until(() -> JSON.readTree(get(list, bearerWith(Scopes.INTEGRITY_READ))
                                        .body())
                                .path("items")
                                .size()
                        == 1);
        var id = JSON.readTree(get(list, bearerWith(Scopes.INTEGRITY_READ)).body())
                .path("items")
                .get(0)
                .path("id")
                .asString();
        return JSON.readTree(get("/v1/integrity/reports/" + id, bearerWith(Scopes.INTEGRITY_READ))
                .body());
    }

    private JsonNode signaturesInUse() throws Exception {
        var answer = get("/v1/integrity/signatures", bearerWith(Scopes.INTEGRITY_READ));
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    @Test
    @Order(1)
    void beforeAnyUpdateOnlyTheBuiltInSignaturesAreThereAndAScanThatFindsNothingIsUnknown() throws Exception {
        var inUse = signaturesInUse();
        assertThat(inUse.path("source").asString()).isEqualTo("built-in");
        assertThat(inUse.path("acceptable").asBoolean()).isFalse();
        assertThat(inUse.path("explanation").asString()).startsWith("signatures-stale: ");
        assertThat(inUse.path("notes").toString()).contains("cc-test-connector");

        var report = scan(cleanImage);

        assertThat(report.path("verdict").asString()).isEqualTo("unknown");
        assertThat(report.path("outcome").asString()).isEqualTo("warn");
        assertThat(report.path("details").path("reasons").get(0).asString())
                .startsWith("signatures-stale: only the connector's built-in test signatures were loaded");
        assertThat(report.path("details")
                        .path("engines")
                        .path("signatures")
                        .path("source")
                        .asString())
                .isEqualTo("built-in");
    }

    @Test
    @Order(2)
    void anUpdateStoresTheMirrorsDatabasesInTheBucketAndScansLoadThatCopy() throws Exception {
        var accepted = send("POST", "/v1/integrity/signatures:update", null, bearerWith(Scopes.INTEGRITY_WRITE));

        assertThat(accepted.statusCode()).isEqualTo(202);
        var jobId = JSON.readTree(accepted.body()).path("jobId").asString();
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(jobstatus.events().stream()
                                .filter(e -> jobId.equals(e.correlationId()))
                                .map(e -> e.payload()))
                        .anySatisfy(p -> assertThat(p).isInstanceOf(JobSucceeded.class))
                        .noneSatisfy(p -> assertThat(p).isInstanceOf(JobFailed.class)));
        assertThat(jobstatus.events(JobCreated.class))
                .anySatisfy(c -> assertThat(c.kind()).isEqualTo(JobKind.SIGNATURES_UPDATE));
        assertThat(MIRROR.requests()).contains("/fresh.cud");

        var inUse = signaturesInUse();
        assertThat(inUse.path("source").asString()).isEqualTo("bucket");
        assertThat(inUse.path("version").asString()).isEqualTo("fresh 27001");
        assertThat(inUse.path("location").asString()).startsWith("s3://cc-test-connector/signatures/clamav/");
        assertThat(inUse.path("acceptable").asBoolean()).isTrue();
        assertThat(inUse.path("ageSeconds").asLong()).isBetween(0L, 3600L);
        assertThat(inUse.path("maxAge").asString()).isEqualTo("PT72H");

        var marked = scan(markedImage);
        assertThat(marked.path("verdict").asString()).isEqualTo("infected");
        assertThat(marked.path("details").path("detections").toString())
                .contains("srv/new-threat.bin", "CloudConnector.Test.FreshSignature");
        assertThat(marked.path("details")
                        .path("engines")
                        .path("signatures")
                        .path("source")
                        .asString())
                .isEqualTo("bucket");
        assertThat(marked.path("details")
                        .path("engines")
                        .path("clamavDatabases")
                        .toString())
                .contains("fresh.cud");

        var clean = scan(cleanImage);
        assertThat(clean.path("verdict").asString()).isEqualTo("clean");
        assertThat(clean.path("details")
                        .path("engines")
                        .path("signatures")
                        .path("version")
                        .asString())
                .isEqualTo("fresh 27001");
    }

    @Test
    @Order(3)
    void theSameCopyIsStaleOnceOlderThanTheMaximumAge() {
        var set = signatures.forScan();
        var builtAt = set.builtAt();
        assertThat(builtAt).isNotNull();

        var later = new Freshness(
                set, builtAt.plus(properties.maxSignatureAge()).plusSeconds(3600), properties.maxSignatureAge(), false);
        var now = new Freshness(set, Instant.now(), properties.maxSignatureAge(), false);

        assertThat(now.acceptable()).isTrue();
        assertThat(later.acceptable()).isFalse();
        assertThat(later.explanation())
                .startsWith("signatures-stale: the ClamAV signatures (fresh 27001) are 3 d 1 h old");
    }

    @Test
    @Order(4)
    void everyReplicaFiresTheDailyUpdateButADayHasOneJob() {
        assertThat(schedule.today()).isEqualTo(schedule.today());
    }

    @Test
    @Order(5)
    void badRequestsAreRefusedWithProblems() throws Exception {
        assertThat(send("POST", "/v1/integrity/signatures:update", null, null).statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "/v1/integrity/signatures:update", null, bearerWith(Scopes.INTEGRITY_READ))
                        .statusCode())
                .isEqualTo(403);
        var badKey = send(
                "POST",
                "/v1/integrity/signatures:update",
                null,
                bearerWith(Scopes.INTEGRITY_WRITE),
                "Idempotency-Key",
                "has space");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.body()).contains("Idempotency-Key");
        assertThat(get("/v1/integrity/signatures", bearerWith(Scopes.INTEGRITY_WRITE))
                        .statusCode())
                .isEqualTo(403);
    }
}
