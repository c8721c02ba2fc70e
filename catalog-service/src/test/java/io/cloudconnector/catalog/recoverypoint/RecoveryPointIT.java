package io.cloudconnector.catalog.recoverypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.catalog.vault.VaultStorage;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.event.VaultPruned;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.scalez.backup.BackupOptions;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The recovery-point catalog against the emulator: events, queries, deletion, rebuild and retention. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RecoveryPointIT extends ServiceIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmulatedAccount account;
    private static AwsEmulator emulator;
    private static String vaultId;
    private static String lockedVaultId;
    private static @org.jspecify.annotations.Nullable String governanceVaultId;
    private static @org.jspecify.annotations.Nullable String complianceVaultId;

    @Autowired
    EventPublisher publisher;

    @Autowired
    EventBridgeClient events;

    @Autowired
    ConnectorProperties connector;

    @Autowired
    InboxDispatcher dispatcher;

    @Autowired
    VaultRepository vaults;

    @Autowired
    VaultStorage storage;

    @Autowired
    RetentionSweep sweep;

    @Autowired
    ServiceTable table;

    @Autowired
    RecoveryPointRepository pointsRepository;

    @Autowired
    PolicyRetentions policies;

    @BeforeAll
    static void customerAccount(AwsEmulator given) {
        emulator = given;
        account = EmulatedAccount.create(emulator, "us-east-1");
    }

    @BeforeEach
    void twoActiveVaults() throws Exception {
        if (vaultId == null) {
            // Explicitly without Object Lock: new vaults are locked by default, and these tests delete points.
            vaultId = createVault("plain", ",\"objectLock\":null");
            lockedVaultId = createVault("locked", ",\"objectLock\":{\"mode\":\"compliance\",\"days\":30}");
        }
    }

    @Override
    protected String listPath() {
        return "/v1/recovery-points";
    }

    @Override
    protected String listScope() {
        return Scopes.VAULTS_READ;
    }

    @Test
    void aRecoveryPointIsCountedOnceHoweverOftenItsEventArrives() throws Exception {
        var created = created(vaultId, "vol-0000000000000000a", Instant.parse("2026-11-20T10:00:00Z"), 4096);
        long before = vault(vaultId).get("recoveryPointCount").asLong();

        backgroundJobs().publish(created, "j-1");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                get("/v1/recovery-points/" + created.recoveryPointId(), bearerWith(Scopes.VAULTS_READ))
                                        .statusCode())
                        .isEqualTo(200));
        // A producer retry: a new envelope of the same recovery point through the bus; then one envelope handed
        // in twice. One after the other: the emulator, unlike DynamoDB, does not serialise concurrent transactions.
        backgroundJobs().publish(created, "j-1");
        awaitEmptyInbox();
        var envelope = EventEnvelope.wrap(created, TestTokens.CONNECTOR_ID, null, Clock.systemUTC());
        dispatcher.dispatch(envelope);
        dispatcher.dispatch(envelope);

        assertThat(vault(vaultId).get("recoveryPointCount").asLong()).isEqualTo(before + 1);
        JsonNode point =
                JSON.readTree(get("/v1/recovery-points/" + created.recoveryPointId(), bearerWith(Scopes.VAULTS_READ))
                        .body());
        assertThat(point.get("scanStatus").asString()).isEqualTo("unscanned");
        assertThat(point.get("kind").asString()).isEqualTo("ebs");
        assertThat(point.get("source").get("snapshotId").asString()).isEqualTo("snap-1");
    }

    @Test
    void aScanThatArrivesBeforeItsRecoveryPointIsKept() throws Exception {
        var created = created(vaultId, "vol-0000000000000000b", Instant.parse("2026-11-21T10:00:00Z"), 100);
        long before = vault(vaultId).get("recoveryPointCount").asLong();

        dispatch(new RecoveryPointScanned(
                created.recoveryPointId(), vaultId, created.assetId(), ScanVerdict.INFECTED, "report-1"));
        dispatch(created);

        JsonNode point =
                JSON.readTree(get("/v1/recovery-points/" + created.recoveryPointId(), bearerWith(Scopes.VAULTS_READ))
                        .body());
        assertThat(point.get("scanStatus").asString()).isEqualTo("infected");
        assertThat(point.get("scanReportId").asString()).isEqualTo("report-1");
        assertThat(vault(vaultId).get("recoveryPointCount").asLong()).isEqualTo(before + 1);
        var infected = JSON.readTree(
                get("/v1/recovery-points?status=infected&vaultId=" + vaultId, bearerWith(Scopes.VAULTS_READ))
                        .body());
        assertThat(infected.get("items")).hasSize(1);
    }

    @Test
    void theNewestRestoreTestIsShownOnThePointWhateverTheOrderItArrivesIn() throws Exception {
        var created = created(vaultId, "vol-0000000000000000e", Instant.parse("2026-11-21T11:00:00Z"), 100);
        String id = created.recoveryPointId();
        var failed = new RecoveryPointRestoreTested(
                id,
                vaultId,
                created.assetId(),
                "j-older",
                false,
                Instant.parse("2026-12-01T10:00:00Z"),
                0,
                List.of("the restore failed: pack damaged"));
        var passed = new RecoveryPointRestoreTested(
                id,
                vaultId,
                created.assetId(),
                "j-newer",
                true,
                Instant.parse("2026-12-07T10:00:00Z"),
                42.5,
                List.of());
        dispatch(created);
        JsonNode untested = JSON.readTree(
                get("/v1/recovery-points/" + id, bearerWith(Scopes.VAULTS_READ)).body());
        assertThat(untested.has("lastRestoreTest")).isFalse();

        dispatch(passed);
        dispatch(failed);
        dispatch(passed);

        JsonNode test = JSON.readTree(get("/v1/recovery-points/" + id, bearerWith(Scopes.VAULTS_READ))
                        .body())
                .get("lastRestoreTest");
        assertThat(test.get("passed").asBoolean()).isTrue();
        assertThat(test.get("testedAt").asString()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(test.get("recoveryTimeSeconds").asDouble()).isEqualTo(42.5);
        assertThat(test.get("reasons")).isEmpty();
        assertThat(test.get("jobId").asString()).isEqualTo("j-newer");

        var other = created(vaultId, "vol-0000000000000000f", Instant.parse("2026-11-21T12:00:00Z"), 100);
        dispatch(new RecoveryPointRestoreTested(
                other.recoveryPointId(),
                vaultId,
                other.assetId(),
                "j-early",
                false,
                Instant.parse("2026-12-02T10:00:00Z"),
                0,
                List.of("block 3 of vol-f differs")));
        dispatch(other);
        JsonNode early = JSON.readTree(
                        get("/v1/recovery-points/" + other.recoveryPointId(), bearerWith(Scopes.VAULTS_READ))
                                .body())
                .get("lastRestoreTest");
        assertThat(early.get("passed").asBoolean()).isFalse();
        assertThat(early.get("reasons").get(0).asString()).isEqualTo("block 3 of vol-f differs");
    }

    @Test
    void deletingMarksThePointDeletedAndStopsCountingIt() throws Exception {
        var created = created(vaultId, "vol-0000000000000000c", Instant.parse("2026-11-22T10:00:00Z"), 100);
        dispatch(created);
        long before = vault(vaultId).get("recoveryPointCount").asLong();

        var deleted = send(
                "DELETE", "/v1/recovery-points/" + created.recoveryPointId(), null, bearerWith(Scopes.VAULTS_WRITE));

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        assertThat(JSON.readTree(deleted.body()).get("state").asString()).isEqualTo("deleted");
        assertThat(vault(vaultId).get("recoveryPointCount").asLong()).isEqualTo(before - 1);
        var shown = get("/v1/recovery-points/" + created.recoveryPointId(), bearerWith(Scopes.VAULTS_READ));
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(shown.body()).get("state").asString()).isEqualTo("deleted");
        assertThat(JSON.readTree(get("/v1/recovery-points?assetId=" + created.assetId(), bearerWith(Scopes.VAULTS_READ))
                                .body())
                        .get("items"))
                .as("deleted points are not listed")
                .isEmpty();
        var again = send(
                "DELETE", "/v1/recovery-points/" + created.recoveryPointId(), null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("state").asString()).isEqualTo("deleted");
        // The deletion comes back through the inbox (the catalog hears its own events), twice: nothing moves.
        dispatch(new RecoveryPointDeleted(created.recoveryPointId(), vaultId, created.assetId(), 0));
        dispatch(new RecoveryPointDeleted(created.recoveryPointId(), vaultId, created.assetId(), 0));
        assertThat(vault(vaultId).get("recoveryPointCount").asLong()).isEqualTo(before - 1);
        assertThat(send(
                                "DELETE",
                                "/v1/recovery-points/rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                                null,
                                bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .as("an unknown id")
                .isEqualTo(404);
        assertThat(send(
                                "DELETE",
                                "/v1/recovery-points/" + created.recoveryPointId(),
                                null,
                                bearerWith(Scopes.VAULTS_READ))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void anExpiredPointEndsDeletedOnceTheBackgroundJobsForgotItWhateverTheOrder() throws Exception {
        long before = vault(vaultId).get("recoveryPointCount").asLong();
        // In order: created, expired by the sweep, then the background jobs' deletion (twice).
        var first = created(vaultId, "vol-0000000000000000f", Instant.parse("2026-08-01T10:00:00Z"), 10);
        dispatch(first);
        var expiredFirst = expire(first);
        dispatch(new RecoveryPointDeleted(first.recoveryPointId(), vaultId, first.assetId(), 0));
        dispatch(new RecoveryPointDeleted(first.recoveryPointId(), vaultId, first.assetId(), 0));
        // Reordered: the deletion arrives before the creation, then the creation twice.
        var second = created(vaultId, "vol-0000000000000000f", Instant.parse("2026-08-02T10:00:00Z"), 10);
        dispatch(new RecoveryPointDeleted(second.recoveryPointId(), vaultId, second.assetId(), 0));
        dispatch(second);
        dispatch(second);

        assertThat(expiredFirst).isTrue();
        for (var point : List.of(first, second)) {
            var shown =
                    JSON.readTree(get("/v1/recovery-points/" + point.recoveryPointId(), bearerWith(Scopes.VAULTS_READ))
                            .body());
            assertThat(shown.get("state").asString())
                    .as(point.recoveryPointId())
                    .isEqualTo("deleted");
        }
        assertThat(vault(vaultId).get("recoveryPointCount").asLong())
                .as("neither counts any longer")
                .isEqualTo(before);
    }

    private boolean expire(RecoveryPointCreated point) {
        return pointsRepository.transition(
                point.recoveryPointId(), point.vaultId(), RecoveryPointState.EXPIRED, Instant.now());
    }

    @Test
    void objectLockRefusesDeletingAPointItStillHolds() throws Exception {
        var created =
                created(lockedVaultId, "vol-0000000000000000d", Instant.now().minus(Duration.ofDays(1)), 100);
        dispatch(created);

        var refused = send(
                "DELETE", "/v1/recovery-points/" + created.recoveryPointId(), null, bearerWith(Scopes.VAULTS_WRITE));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("Object Lock");
        assertThat(get("/v1/recovery-points/" + created.recoveryPointId(), bearerWith(Scopes.VAULTS_READ))
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * A point backed up into a governance vault: the engine's lock shows on its GET; a legal hold is put and removed;
     * a held or locked point cannot be deleted (409 naming lockedUntil); the lock is extended, then lifted with the
     * governance bypass, after which the point can be deleted; bad bodies, unknown ids and missing scopes answer
     * 400, 404 and 403; a deleted point answers 409.
     */
    @Test
    void legalHoldAndLockChangesGoThroughTheEnginesRecords() throws Exception {
        if (governanceVaultId == null) {
            governanceVaultId = lockedVault("governance", "GOVERNANCE");
        }
        String id = backedUp(governanceVaultId, "vol-00000000000000010");
        String path = "/v1/recovery-points/" + id;

        var engineLock =
                storage.open(vaults.find(governanceVaultId).orElseThrow()).lockState(id);
        JsonNode shown = JSON.readTree(get(path, bearerWith(Scopes.VAULTS_READ)).body());
        assertThat(shown.get("lockedUntil").isString())
                .as(shown + " / engine: " + engineLock)
                .isTrue();
        Instant lockedUntil = Instant.parse(shown.get("lockedUntil").asString());
        assertThat(lockedUntil).isEqualTo(engineLock.lockedUntil());
        assertThat(lockedUntil).isAfter(Instant.now().plus(Duration.ofDays(29)));
        assertThat(shown.get("lockMode").asString()).isEqualTo("governance");
        assertThat(shown.get("legalHold").asBoolean()).isFalse();
        assertThat(shown.get("assetId").asString()).endsWith("vol-00000000000000010");

        assertThat(put(path + "/legal-hold", "{\"on\":true}", Scopes.VAULTS_WRITE)
                        .statusCode())
                .as("without vaults:unlock")
                .isEqualTo(403);
        for (String bad : List.of("{}", "{\"on\":\"yes\"}", "[true]", "{\"on\":null}")) {
            var refused = put(path + "/legal-hold", bad, Scopes.VAULTS_UNLOCK);
            assertThat(refused.statusCode()).as(bad + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"on\"");
        }
        assertThat(put(
                                "/v1/recovery-points/rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4/legal-hold",
                                "{\"on\":true}",
                                Scopes.VAULTS_UNLOCK)
                        .statusCode())
                .isEqualTo(404);

        var held = put(path + "/legal-hold", "{\"on\":true}", Scopes.VAULTS_UNLOCK);
        assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
        assertThat(JSON.readTree(held.body()).get("legalHold").asBoolean()).isTrue();
        assertThat(put(path + "/legal-hold", "{\"on\":true}", Scopes.VAULTS_UNLOCK)
                        .statusCode())
                .as("idempotent")
                .isEqualTo(200);
        assertThat(JSON.readTree(get(path, bearerWith(Scopes.VAULTS_READ)).body())
                        .get("legalHold")
                        .asBoolean())
                .isTrue();
        var deleteHeld = send("DELETE", path, null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(deleteHeld.statusCode()).as(deleteHeld.body()).isEqualTo(409);
        assertThat(deleteHeld.body()).contains("lockedUntil").contains("legal hold");

        Instant later = lockedUntil.plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var extended = put(path + "/lock", "{\"until\":\"" + later + "\"}", Scopes.VAULTS_UNLOCK);
        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(200);
        assertThat(Instant.parse(
                        JSON.readTree(extended.body()).get("lockedUntil").asString()))
                .isEqualTo(later);
        for (String bad : List.of("{}", "{\"until\":\"tomorrow\"}", "{\"until\":5}")) {
            var refused = put(path + "/lock", bad, Scopes.VAULTS_UNLOCK);
            assertThat(refused.statusCode()).as(bad + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"until\"");
        }
        assertThat(put(path + "/lock", "{\"until\":\"" + later + "\"}", Scopes.VAULTS_WRITE)
                        .statusCode())
                .isEqualTo(403);

        var released = put(path + "/legal-hold", "{\"on\":false}", Scopes.VAULTS_UNLOCK);
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(JSON.readTree(released.body()).get("legalHold").asBoolean()).isFalse();
        var stillLocked = send("DELETE", path, null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(stillLocked.statusCode()).as(stillLocked.body()).isEqualTo(409);
        assertThat(stillLocked.body()).contains("lockedUntil").contains(later.toString());

        // Governance: vaults:unlock lifts the lock (BypassGovernanceRetention); the point can then be deleted.
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var lifted = put(path + "/lock", "{\"until\":\"" + now + "\"}", Scopes.VAULTS_UNLOCK);
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(Instant.parse(JSON.readTree(lifted.body()).get("lockedUntil").asString()))
                .isBeforeOrEqualTo(Instant.now());
        var deleted = send("DELETE", path, null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        var onDeleted = put(path + "/legal-hold", "{\"on\":true}", Scopes.VAULTS_UNLOCK);
        assertThat(onDeleted.statusCode()).as(onDeleted.body()).isEqualTo(409);
        assertThat(onDeleted.body()).contains("deleted");
    }

    /** In compliance mode nobody shortens or lifts a lock, not even vaults:unlock; extending it is allowed. */
    @Test
    void aComplianceLockCanBeExtendedButNeverShortened() throws Exception {
        if (complianceVaultId == null) {
            complianceVaultId = lockedVault("compliance", "COMPLIANCE");
        }
        String id = backedUp(complianceVaultId, "vol-00000000000000011");
        String path = "/v1/recovery-points/" + id;
        Instant lockedUntil = Instant.parse(
                JSON.readTree(get(path, bearerWith(Scopes.VAULTS_READ)).body())
                        .get("lockedUntil")
                        .asString());

        var shortened = put(
                path + "/lock", "{\"until\":\"" + lockedUntil.minus(Duration.ofDays(1)) + "\"}", Scopes.VAULTS_UNLOCK);
        assertThat(shortened.statusCode()).as(shortened.body()).isEqualTo(409);
        assertThat(shortened.body()).contains("compliance").contains("\"until\"");
        Instant later = lockedUntil.plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var extended = put(path + "/lock", "{\"until\":\"" + later + "\"}", Scopes.VAULTS_UNLOCK);
        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(200);
        assertThat(JSON.readTree(get(path, bearerWith(Scopes.VAULTS_READ)).body())
                        .get("lockedUntil")
                        .asString())
                .isEqualTo(later.toString());
        var delete = send("DELETE", path, null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(409);
        assertThat(delete.body()).contains("lockedUntil");
    }

    /**
     * A new vault locked for 30 days in {@code mode} (its bucket locked by the catalog's local-mode shim, as the
     * template does in AWS).
     */
    private String lockedVault(String name, String mode) throws Exception {
        return createVault(
                name, ",\"objectLock\":{\"mode\":\"" + mode.toLowerCase(java.util.Locale.ROOT) + "\",\"days\":30}");
    }

    /** A point backed up by the engine into the vault and announced to the catalog, as a backup job does. */
    private String backedUp(String vault, String volume) {
        var repository = storage.open(vaults.find(vault).orElseThrow());
        var point = repository.backupStream(
                new ByteArrayInputStream(volume.repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                // labelled as a backup job labels its points, so a catalog rebuild knows them as its own
                BackupOptions.defaults()
                        .withLabels(Map.of(
                                RecoveryPointLabels.ASSET_ID,
                                "aws:ebs:123456789012:us-east-1:" + volume,
                                RecoveryPointLabels.KIND,
                                "ebs",
                                RecoveryPointLabels.JOB_ID,
                                "j-1")));
        dispatch(new RecoveryPointCreated(
                point.id(),
                vault,
                "aws:ebs:123456789012:us-east-1:" + volume,
                RecoveryPointKind.EBS,
                point.time(),
                null,
                1L << 30,
                100,
                "j-1",
                Map.of("snapshotId", "snap-1")));
        return point.id();
    }

    private java.net.http.HttpResponse<String> put(String path, String body, String scope) throws Exception {
        return send("PUT", path, body, bearerWith(scope));
    }

    @Test
    void pagesCoverEveryPointOnceNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            var created = created(
                    vaultId,
                    "vol-00000000000000100",
                    Instant.parse("2026-10-01T00:00:00Z").plusSeconds(i),
                    1);
            dispatch(created);
            ids.add(created.recoveryPointId());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(get(
                            "/v1/recovery-points?limit=50&assetId=aws:ebs:123456789012:us-east-1:"
                                    + "vol-00000000000000100" + (token == null ? "" : "&pageToken=" + token),
                            bearerWith(Scopes.VAULTS_READ))
                    .body());
            page.get("items").forEach(item -> seen.add(item.get("id").asString()));
            token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asString() : null;
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(ids.reversed());
    }

    @Test
    void badFiltersAreRefusedNamingTheParameter() throws Exception {
        for (var query : Map.of(
                        "status=wonky",
                        "status",
                        "vaultId=vault-1",
                        "vaultId",
                        "from=yesterday",
                        "from",
                        "assetId=vol-1",
                        "assetId")
                .entrySet()) {
            var response = get("/v1/recovery-points?" + query.getKey(), bearerWith(Scopes.VAULTS_READ));
            assertThat(response.statusCode()).as(query.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body())
                            .get("errors")
                            .get(0)
                            .get("field")
                            .asString())
                    .isEqualTo(query.getValue());
        }
    }

    @Test
    void theCatalogIsRebuiltFromTheManifestsInTheBucket() throws Exception {
        var vault = vaults.find(lockedVaultId).orElseThrow();
        var repository = storage.open(vault);
        var labels = Map.of(
                RecoveryPointLabels.ASSET_ID,
                "aws:ebs:123456789012:us-east-1:vol-0000000000000000e",
                RecoveryPointLabels.KIND,
                "ebs",
                RecoveryPointLabels.JOB_ID,
                "j-9",
                RecoveryPointLabels.SOURCE_PREFIX + "snapshotId",
                "snap-9");
        var first = repository.backupStream(
                new ByteArrayInputStream(new byte[100_000]),
                BackupOptions.defaults().withLabels(labels));
        var second = repository.backupStream(
                new ByteArrayInputStream("changed".repeat(10_000).getBytes()),
                BackupOptions.defaults().withLabels(labels));
        var foreign = repository.backupStream(new ByteArrayInputStream(new byte[10]), BackupOptions.defaults());

        var firstRebuild = rebuild(lockedVaultId);
        assertThat(strings(firstRebuild.get("added"))).contains(first.id(), second.id());
        assertThat(strings(firstRebuild.get("skipped"))).containsExactly(foreign.id());

        // The table loses the vault's rows: the bucket still knows them.
        table.delete("RP#" + first.id(), "RP");
        table.delete("RP#" + second.id(), "RP");
        var secondRebuild = rebuild(lockedVaultId);

        assertThat(strings(secondRebuild.get("added"))).containsExactlyInAnyOrder(first.id(), second.id());
        JsonNode restored = JSON.readTree(get("/v1/recovery-points/" + second.id(), bearerWith(Scopes.VAULTS_READ))
                .body());
        assertThat(restored.get("assetId").asString())
                .isEqualTo("aws:ebs:123456789012:us-east-1:vol-0000000000000000e");
        assertThat(restored.get("source").get("snapshotId").asString()).isEqualTo("snap-9");
        assertThat(vault(lockedVaultId).get("recoveryPointCount").asLong())
                .isEqualTo(secondRebuild.get("recoveryPointCount").asLong());
    }

    @Test
    void retentionExpiresWhatThePolicyDoesNotKeep() throws Exception {
        String asset = "vol-00000000000000200";
        List<String> ids = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            var created = created(vaultId, asset, Instant.parse("2026-09-0" + day + "T12:00:00Z"), 1);
            dispatch(created);
            ids.add(created.recoveryPointId());
        }
        assertThat(send(
                                "PUT",
                                "/v1/vaults/" + vaultId + "/retention",
                                "{\"keepLast\":2,\"keepDaily\":0,\"keepWeekly\":0,\"keepMonthly\":0,\"keepYearly\":0}",
                                bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .isEqualTo(200);

        List<String> expired = sweep.sweep(vaults.find(vaultId).orElseThrow());

        assertThat(expired).containsAll(ids.subList(0, 3)).doesNotContain(ids.get(3), ids.get(4));
        JsonNode oldest = JSON.readTree(get("/v1/recovery-points/" + ids.getFirst(), bearerWith(Scopes.VAULTS_READ))
                .body());
        assertThat(oldest.get("state").asString()).isEqualTo("expired");
        assertThat(sweep.sweep(vaults.find(vaultId).orElseThrow())).doesNotContainAnyElementsOf(ids);
        try (var sqs = ConnectorStack.clients(emulator).sync(SqsClient.builder())) {
            String inbox = sqs.getQueueUrl(b -> b.queueName("cc-test-background-jobs-inbox"))
                    .queueUrl();
            List<String> announced = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                sqs.receiveMessage(
                                b -> b.queueUrl(inbox).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages()
                        .forEach(m -> announced.add(m.body()));
                assertThat(announced)
                        .anyMatch(body -> body.contains(ids.getFirst()) && body.contains("RecoveryPointExpired"));
            });
        }
    }

    @Test
    void aPolicyKeepingTheLastTwoExpiresOnlyItsOwnOlderPoints() throws Exception {
        String asset = "vol-00000000000000300";
        String policy = "pol-keeps-two-" + SEQUENCE.incrementAndGet();
        String other = "pol-keeps-five-" + SEQUENCE.incrementAndGet();
        keepLastTwoInTheVault();
        dispatch(policyChanged(policy, 1, vaultId, new PolicyChanged.Retention(2, 0, 0, 0, 0, 0)));
        dispatch(policyChanged(other, 1, vaultId, new PolicyChanged.Retention(5, 0, 0, 0, 0, 0)));
        List<String> mine = new ArrayList<>();
        List<String> untouchable = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            mine.add(dispatchCreated(vaultId, asset, policy, Instant.parse("2026-10-0" + day + "T03:00:00Z")));
            untouchable.add(dispatchCreated(vaultId, asset, other, Instant.parse("2026-10-0" + day + "T04:00:00Z")));
        }
        // Made by hand, newer than every policy point: they count neither towards the policy's last two, nor
        // are they judged by its rules (the vault keeps its last two of them).
        untouchable.add(dispatchCreated(vaultId, asset, null, Instant.parse("2026-10-05T12:00:00Z")));
        untouchable.add(dispatchCreated(vaultId, asset, null, Instant.parse("2026-10-06T12:00:00Z")));

        List<String> expired = sweepAt(vaultId, Instant.parse("2026-10-07T00:00:00Z"));

        assertThat(expired).contains(mine.getFirst()).doesNotContainAnyElementsOf(mine.subList(1, 3));
        assertThat(expired).doesNotContainAnyElementsOf(untouchable);
        assertThat(state(mine.getFirst())).isEqualTo("expired");
        assertThat(state(mine.get(1))).isEqualTo("available");
        assertThat(sweepAt(vaultId, Instant.parse("2026-10-07T01:00:00Z")))
                .doesNotContainAnyElementsOf(mine)
                .doesNotContainAnyElementsOf(untouchable);
    }

    @Test
    void aPolicyChangeAppliesAtTheNextSweepWhateverOrderItsEventsArriveIn() throws Exception {
        String asset = "vol-00000000000000301";
        String policy = "pol-changes-" + SEQUENCE.incrementAndGet();
        keepLastTwoInTheVault();
        var keepFive = policyChanged(policy, 1, vaultId, new PolicyChanged.Retention(5, 0, 0, 0, 0, 0));
        dispatch(keepFive);
        List<String> ids = new ArrayList<>();
        for (int hour = 1; hour <= 4; hour++) {
            ids.add(dispatchCreated(vaultId, asset, policy, Instant.parse("2026-10-10T0" + hour + ":00:00Z")));
        }
        assertThat(sweepAt(vaultId, Instant.parse("2026-10-11T00:00:00Z"))).doesNotContainAnyElementsOf(ids);

        var keepOne = policyChanged(policy, 2, vaultId, new PolicyChanged.Retention(1, 0, 0, 0, 0, 0));
        dispatch(keepOne);
        // Duplicated and reordered: the older version arrives after the newer one, and the newer one twice.
        dispatch(keepFive);
        dispatch(keepOne);
        assertThat(policies.find(policy).orElseThrow().version()).isEqualTo(2);

        List<String> expired = sweepAt(vaultId, Instant.parse("2026-10-11T01:00:00Z"));

        assertThat(expired).containsAll(ids.subList(0, 3)).doesNotContain(ids.get(3));
    }

    @Test
    void aDeletedPolicysPointsFallBackToTheVaultsRules() throws Exception {
        String asset = "vol-00000000000000302";
        String policy = "pol-deleted-" + SEQUENCE.incrementAndGet();
        keepLastTwoInTheVault();
        var keepFour = policyChanged(policy, 1, vaultId, new PolicyChanged.Retention(4, 0, 0, 0, 0, 0));
        dispatch(keepFour);
        List<String> ids = new ArrayList<>();
        for (int hour = 1; hour <= 4; hour++) {
            ids.add(dispatchCreated(vaultId, asset, policy, Instant.parse("2026-10-12T0" + hour + ":00:00Z")));
        }
        assertThat(sweepAt(vaultId, Instant.parse("2026-10-13T00:00:00Z"))).doesNotContainAnyElementsOf(ids);

        dispatch(new PolicyDeleted(policy, 2));
        dispatch(keepFour); // late: the tombstone stays
        assertThat(policies.find(policy).orElseThrow().deleted()).isTrue();

        List<String> expired = sweepAt(vaultId, Instant.parse("2026-10-13T01:00:00Z"));

        // The vault keeps its last two.
        assertThat(expired).containsAll(ids.subList(0, 2)).doesNotContain(ids.get(2), ids.get(3));
    }

    @Test
    void aPolicysPointStillHeldByTheObjectLockWaitsForALaterSweep() throws Exception {
        String asset = "vol-00000000000000303";
        String policy = "pol-locked-" + SEQUENCE.incrementAndGet();
        dispatch(policyChanged(policy, 1, lockedVaultId, new PolicyChanged.Retention(1, 0, 0, 0, 0, 0)));
        String older = dispatchCreated(lockedVaultId, asset, policy, Instant.parse("2026-10-14T01:00:00Z"));
        String newer = dispatchCreated(lockedVaultId, asset, policy, Instant.parse("2026-10-14T02:00:00Z"));

        // The vault's compliance lock holds each object 30 days.
        assertThat(sweepAt(lockedVaultId, Instant.parse("2026-11-13T00:59:00Z")))
                .doesNotContain(older, newer);
        assertThat(state(older)).isEqualTo("available");

        assertThat(sweepAt(lockedVaultId, Instant.parse("2026-11-13T01:01:00Z")))
                .contains(older)
                .doesNotContain(newer);
    }

    @Test
    void maintenanceIsRequestedOfTheBackgroundJobsThroughTheBus() throws Exception {
        var accepted = send("POST", "/v1/vaults/" + vaultId + "/maintenance", null, bearerWith(Scopes.VAULTS_WRITE));

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).get("jobId").asString();
        assertThat(jobId).startsWith("j-");
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);
        try (var sqs = ConnectorStack.clients(emulator).sync(SqsClient.builder())) {
            String inbox = sqs.getQueueUrl(b -> b.queueName("cc-test-background-jobs-inbox"))
                    .queueUrl();
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                // Looked at without hiding anything from the other tests that read this queue.
                sqs.receiveMessage(b -> b.queueUrl(inbox)
                                .maxNumberOfMessages(10)
                                .waitTimeSeconds(1)
                                .visibilityTimeout(0))
                        .messages()
                        .forEach(m -> seen.add(m.body()));
                assertThat(seen)
                        .anyMatch(body -> body.contains("VaultMaintenanceRequested")
                                && body.contains(jobId)
                                && body.contains(vaultId));
            });
        }
        assertThat(send(
                                "POST",
                                "/v1/vaults/vlt-01jd3zrx5kq0m8yv5d3m0rz2j4/maintenance",
                                null,
                                bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .as("an unknown vault")
                .isEqualTo(404);
        assertThat(send("POST", "/v1/vaults/not-a-vault/maintenance", null, bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("POST", "/v1/vaults/" + vaultId + "/maintenance", null, bearerWith(Scopes.VAULTS_READ))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aMaintenanceReportSetsStoredBytesAndHealthTheNewestReportWinning() throws Exception {
        var at = Instant.now();
        dispatchAt(new VaultPruned(vaultId, "j-8", 4096, 100, List.of("packs/ab/abcdef: missing")), at);
        // Older than the one applied: ignored, whatever it says.
        dispatchAt(new VaultPruned(vaultId, "j-7", 1, 0, List.of()), at.minusSeconds(60));

        JsonNode damaged = vault(vaultId);
        assertThat(damaged.get("health").asString()).isEqualTo("damaged");
        assertThat(damaged.get("damage").get(0).asString()).isEqualTo("packs/ab/abcdef: missing");
        assertThat(damaged.get("storedBytes").asLong()).isEqualTo(4096);
        assertThat(damaged.get("lastMaintainedAt").asString()).isNotEmpty();

        dispatchAt(new VaultPruned(vaultId, "j-9", 2048, 2048), at.plusSeconds(60));
        JsonNode healthy = vault(vaultId);
        assertThat(healthy.get("health").asString()).isEqualTo("healthy");
        assertThat(healthy.get("damage")).isEmpty();
        assertThat(healthy.get("storedBytes").asLong()).isEqualTo(2048);
    }

    private void keepLastTwoInTheVault() throws Exception {
        assertThat(send(
                                "PUT",
                                "/v1/vaults/" + vaultId + "/retention",
                                "{\"keepLast\":2,\"keepDaily\":0,\"keepWeekly\":0,\"keepMonthly\":0,\"keepYearly\":0}",
                                bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .isEqualTo(200);
    }

    /** A sweep whose clock says {@code now} (what Object Lock is judged against). */
    private List<String> sweepAt(String vault, Instant now) {
        return new RetentionSweep(vaults, pointsRepository, policies, publisher, Clock.fixed(now, ZoneOffset.UTC))
                .sweep(vaults.find(vault).orElseThrow());
    }

    private String state(String recoveryPointId) throws Exception {
        return JSON.readTree(get("/v1/recovery-points/" + recoveryPointId, bearerWith(Scopes.VAULTS_READ))
                        .body())
                .get("state")
                .asString();
    }

    /** A recovery point made at {@code at} by a run of {@code policy} (by hand when null); its id. */
    private String dispatchCreated(String vault, String volume, @Nullable String policy, Instant at) {
        var made = created(vault, volume, at, 1);
        Map<String, String> source = new HashMap<>(made.source());
        if (policy != null) {
            source.put(RecoveryPointLabels.SOURCE_POLICY_ID, policy);
            source.put(RecoveryPointLabels.SOURCE_RUN_ID, "run-1");
        }
        dispatch(new RecoveryPointCreated(
                made.recoveryPointId(),
                made.vaultId(),
                made.assetId(),
                made.kind(),
                made.createdAt(),
                null,
                made.logicalBytes(),
                made.storedBytes(),
                made.jobId(),
                source));
        return made.recoveryPointId();
    }

    private static PolicyChanged policyChanged(
            String policy, long version, String vault, PolicyChanged.Retention retention) {
        return new PolicyChanged(
                policy,
                version,
                "policy " + policy,
                vault,
                1440,
                false,
                null,
                false,
                List.of(),
                Map.of("backup", "nightly"),
                List.of(),
                retention);
    }

    private void dispatchAt(io.cloudconnector.common.event.ConnectorEvent event, Instant at) {
        dispatcher.dispatch(
                EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, null, Clock.fixed(at, java.time.ZoneOffset.UTC)));
    }

    private void awaitEmptyInbox() {
        try (var sqs = ConnectorStack.clients(emulator).sync(SqsClient.builder())) {
            String inbox =
                    sqs.getQueueUrl(b -> b.queueName("cc-test-catalog-inbox")).queueUrl();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> sqs
                            .getQueueAttributes(b -> b.queueUrl(inbox)
                                    .attributeNamesWithStrings(
                                            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                            .attributesAsStrings()
                            .values()
                            .stream()
                            .allMatch("0"::equals));
        }
    }

    private String createVault(String name, String extra) throws Exception {
        var response = send(
                "POST",
                "/v1/vaults",
                """
                {"name":"%s","region":"us-east-1","vpcId":"%s","subnetIds":["%s"]%s}""".formatted(name, account.vpcId(), account.privateSubnets().getFirst(), extra),
                bearerWith(Scopes.VAULTS_WRITE));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = JSON.readTree(response.body()).get("id").asString();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> vault(id).get("status").asString().equals("active"));
        return id;
    }

    private JsonNode vault(String id) throws Exception {
        return JSON.readTree(
                get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ)).body());
    }

    private JsonNode rebuild(String id) throws Exception {
        var response = send("POST", "/v1/vaults/" + id + "/catalog:rebuild", null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void dispatch(io.cloudconnector.common.event.ConnectorEvent event) {
        dispatcher.dispatch(EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static RecoveryPointCreated created(String vault, String volume, Instant at, long storedBytes) {
        // Recovery-point ids are ULIDs of their creation time, as the engine makes them.
        String id = "rp-"
                + com.github.f4b6a3.ulid.UlidCreator.getMonotonicUlid(at.toEpochMilli() + SEQUENCE.incrementAndGet());
        return new RecoveryPointCreated(
                id,
                vault,
                "aws:ebs:123456789012:us-east-1:" + volume,
                RecoveryPointKind.EBS,
                at,
                null,
                1L << 30,
                storedBytes,
                "j-1",
                Map.of("snapshotId", "snap-1"));
    }

    /** A publisher under background-jobs' source: the one that may produce RecoveryPointCreated. */
    private EventPublisher backgroundJobs() {
        return new EventPublisher(
                events,
                EventCodec.standard(),
                connector.eventBus(),
                "background-jobs",
                connector.id(),
                Clock.systemUTC());
    }
}
