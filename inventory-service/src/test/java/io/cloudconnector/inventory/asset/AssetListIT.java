package io.cloudconnector.inventory.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.inventory.InventoryIntegrationTests;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The asset list against the emulator: filters, pagination with opaque tokens, and protection status
 * kept from recovery-point events that arrive through the bus, some out of order.
 */
class AssetListIT extends InventoryIntegrationTests {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static String web1;
    private static String web2;
    private static String db;
    private static String data;
    private static Set<String> all;

    @Autowired
    ServiceTable table;

    @BeforeEach
    void anAccountWithProtectedAndUnprotectedAssets() throws Exception {
        if (all != null) {
            return;
        }
        web1 = instanceAssetId(
                runInstances(1, Map.of("env", "prod", "app:tier", "web")).getFirst());
        web2 = instanceAssetId(
                runInstances(1, Map.of("env", "prod", "app:tier", "web")).getFirst());
        String dbInstance = runInstances(1, Map.of("env", "dev")).getFirst();
        db = instanceAssetId(dbInstance);
        ec2.stopInstances(b -> b.instanceIds(dbInstance));
        data = volumeAssetId(createVolume(50, Map.of("env", "prod")));
        assertThat(post("/v1/assets:discover", null, null, Scopes.ASSETS_WRITE).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> getOk("/v1/assets?limit=500", Scopes.ASSETS_READ)
                                .get("items")
                                .size()
                        == 7);
        all = ids(getOk("/v1/assets?limit=500", Scopes.ASSETS_READ));

        var backups = publisher("background-jobs");
        var catalog = publisher("catalog");
        awaitHandled(List.of(
                backups.publish(created("rp-A", web1, NOW.minus(1, ChronoUnit.HOURS)), null),
                publisher("integrity")
                        .publish(new RecoveryPointScanned("rp-A", "vlt-1", web1, ScanVerdict.CLEAN, "rep-1"), null),
                backups.publish(created("rp-B", data, NOW.minus(48, ChronoUnit.HOURS)), null),
                backups.publish(created("rp-C", data, NOW.minus(47, ChronoUnit.HOURS)), null),
                // Deleted before its creation is heard of: the late creation must not count.
                catalog.publish(new RecoveryPointDeleted("rp-D", "vlt-1", web2, 10), null),
                backups.publish(created("rp-E", db, NOW.minus(2, ChronoUnit.HOURS)), null),
                backups.publish(created("rp-F", db, NOW.minus(30, ChronoUnit.MINUTES)), null)));
        awaitHandled(List.of(
                backups.publish(created("rp-D", web2, NOW.minus(10, ChronoUnit.MINUTES)), null),
                catalog.publish(new RecoveryPointDeleted("rp-F", "vlt-1", db, 10), null),
                // Expired by the vault's retention: no longer the one to restore.
                catalog.publish(new RecoveryPointExpired("rp-C", "vlt-1", data), null)));
    }

    @Test
    void filtersByTypeStateTagsAndProtection() throws Exception {
        assertThat(all).hasSize(7).contains(web1, web2, db, data);
        assertThat(list("type=ec2")).containsExactlyInAnyOrder(web1, web2, db);
        assertThat(list("type=ebs")).hasSize(4).contains(data);
        assertThat(list("state=stopped")).containsExactly(db);
        assertThat(list("tag=" + encode("env:prod"))).containsExactlyInAnyOrder(web1, web2, data);
        assertThat(list("tag=" + encode("app:tier:web"))).containsExactlyInAnyOrder(web1, web2);
        assertThat(list("type=ec2&state=running&tag=env:prod&tag=" + encode("app:tier:web")))
                .containsExactlyInAnyOrder(web1, web2);
        assertThat(list("protected=true")).containsExactlyInAnyOrder(web1, db);
        var unprotected = new HashSet<>(all);
        unprotected.removeAll(Set.of(web1, db));
        assertThat(list("protected=false")).isEqualTo(unprotected);
        assertThat(list("protected=true&type=ebs")).isEmpty();
    }

    @Test
    void protectionFollowsRecoveryPointEventsWhateverTheirOrder() throws Exception {
        var protectedWeb = getOk("/v1/assets/" + web1, Scopes.ASSETS_READ);
        assertThat(protectedWeb.get("protected").asBoolean()).isTrue();
        assertThat(protectedWeb.get("lastRecoveryPointId").asString()).isEqualTo("rp-A");
        assertThat(protectedWeb.get("lastCleanRecoveryPointId").asString()).isEqualTo("rp-A");
        assertThat(Instant.parse(protectedWeb.get("lastRecoveryPointAt").asString()))
                .isEqualTo(NOW.minus(1, ChronoUnit.HOURS));

        var staleBackup = getOk("/v1/assets/" + data, Scopes.ASSETS_READ);
        assertThat(staleBackup.get("protected").asBoolean())
                .as("a recovery point older than 24 h")
                .isFalse();
        assertThat(staleBackup.get("lastRecoveryPointId").asString())
                .as("the newer rp-C expired")
                .isEqualTo("rp-B");
        assertThat(staleBackup.has("lastCleanRecoveryPointId")).isFalse();

        var afterDeletion = getOk("/v1/assets/" + db, Scopes.ASSETS_READ);
        assertThat(afterDeletion.get("lastRecoveryPointId").asString())
                .as("the newest one was deleted")
                .isEqualTo("rp-E");
        assertThat(afterDeletion.get("protected").asBoolean()).isTrue();

        var deletedFirst = getOk("/v1/assets/" + web2, Scopes.ASSETS_READ);
        assertThat(deletedFirst.has("lastRecoveryPointId")).isFalse();
        assertThat(deletedFirst.get("protected").asBoolean()).isFalse();
    }

    @Test
    void pagesNewestFirstWithTokensThatOnlyResumeTheirOwnQuery() throws Exception {
        var pages = walk("limit=2");
        assertThat(pages.stream().mapToInt(List::size).max()).hasValue(2);
        List<JsonNode> items = pages.stream().flatMap(List::stream).toList();
        assertThat(items)
                .extracting(i -> i.get("id").asString())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(items)
                .extracting(i -> Instant.parse(i.get("firstSeen").asString()))
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(walk("type=ebs&limit=1").stream()
                        .flatMap(List::stream)
                        .map(i -> i.get("id").asString()))
                .containsExactlyInAnyOrderElementsOf(list("type=ebs"));

        String ebsToken = getOk("/v1/assets?type=ebs&limit=1", Scopes.ASSETS_READ)
                .get("nextPageToken")
                .asString();
        var reused = get("/v1/assets?type=ec2&limit=1&pageToken=" + ebsToken, Scopes.ASSETS_READ);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(json(reused).get("errors").get(0).get("field").asString()).isEqualTo("pageToken");
    }

    @Test
    void badFiltersAreProblemsNamingTheParameterAndUnknownIdsAre404() throws Exception {
        var bad = get("/v1/assets?state=sleeping&protected=1", Scopes.ASSETS_READ);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(bad).get("errors").findValuesAsString("field")).containsExactly("state", "protected");

        var unknown = get("/v1/assets/aws:ec2:" + ACCOUNT + ":" + REGION + ":i-00000000", Scopes.ASSETS_READ);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    /** Every page of a query, following nextPageToken to the end. */
    private List<List<JsonNode>> walk(String query) throws Exception {
        List<List<JsonNode>> pages = new ArrayList<>();
        String token = null;
        do {
            var page = getOk("/v1/assets?" + query + (token == null ? "" : "&pageToken=" + token), Scopes.ASSETS_READ);
            List<JsonNode> items = new ArrayList<>();
            page.get("items").forEach(items::add);
            pages.add(items);
            token = page.has("nextPageToken") ? page.get("nextPageToken").asString() : null;
        } while (token != null && pages.size() < 50);
        return pages;
    }

    private Set<String> list(String query) throws Exception {
        return ids(getOk("/v1/assets?limit=500&" + query, Scopes.ASSETS_READ));
    }

    private static Set<String> ids(JsonNode page) {
        Set<String> ids = new HashSet<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    @Test
    void protectionShowsTheNewestPointARestoreTestProvedWhateverTheOrderOfEvents() throws Exception {
        // Two older points of web1 than its newest (rp-A), so that its newest point stays rp-A for the other tests.
        Instant first = NOW.minus(3, ChronoUnit.HOURS);
        Instant second = NOW.minus(2, ChronoUnit.HOURS);
        Instant testedAt = NOW.minus(50, ChronoUnit.MINUTES);
        var backups = publisher("background-jobs");
        // A test arriving before its point is kept until the point is heard of.
        awaitHandled(List.of(backups.publish(tested("rp-T1", web1, "job-1", true, testedAt), null)));
        assertThat(testedPoint(web1).isNull()).isTrue();
        awaitHandled(List.of(
                backups.publish(created("rp-T1", web1, first), null),
                backups.publish(created("rp-T2", web1, second), null)));
        JsonNode tested = testedPoint(web1);
        assertThat(tested.get("id").asString()).isEqualTo("rp-T1");
        assertThat(Instant.parse(tested.get("createdAt").asString())).isEqualTo(first);
        assertThat(Instant.parse(tested.get("testedAt").asString())).isEqualTo(testedAt);
        assertThat(tested.get("recoveryTimeSeconds").asDouble()).isEqualTo(12.5);
        assertThat(getOk("/v1/assets/" + web1, Scopes.ASSETS_READ).has("lastTestedRecoveryPoint"))
                .as("shown under protection only")
                .isFalse();

        // The newer point failed its newest test; its older, passing test delivered late, and a duplicate of the
        // failure, change nothing: the proved point stays rp-T1.
        var failure = tested("rp-T2", web1, "job-3", false, testedAt.plusSeconds(120));
        awaitHandled(List.of(backups.publish(failure, null)));
        awaitHandled(List.of(
                backups.publish(tested("rp-T2", web1, "job-2", true, testedAt.plusSeconds(60)), null),
                backups.publish(failure, null)));
        assertThat(testedPoint(web1).get("id").asString()).isEqualTo("rp-T1");

        // Its next test passes: rp-T2 is the newest proved point; once it is deleted, rp-T1 is again.
        awaitHandled(List.of(backups.publish(tested("rp-T2", web1, "job-4", true, testedAt.plusSeconds(180)), null)));
        assertThat(testedPoint(web1).get("id").asString()).isEqualTo("rp-T2");
        awaitHandled(List.of(publisher("catalog").publish(new RecoveryPointDeleted("rp-T2", "vlt-1", web1, 10), null)));
        assertThat(testedPoint(web1).get("id").asString()).isEqualTo("rp-T1");
        assertThat(getOk("/v1/assets/" + web1, Scopes.ASSETS_READ)
                        .get("lastRecoveryPointId")
                        .asString())
                .isEqualTo("rp-A");
    }

    private JsonNode testedPoint(String assetId) throws Exception {
        return getOk("/v1/assets/" + assetId, Scopes.ASSETS_READ)
                .get("protection")
                .get("lastTestedRecoveryPoint");
    }

    private static RecoveryPointRestoreTested tested(
            String recoveryPointId, String assetId, String jobId, boolean passed, Instant at) {
        return new RecoveryPointRestoreTested(
                recoveryPointId,
                "vlt-1",
                assetId,
                jobId,
                passed,
                at,
                passed ? 12.5 : 3.0,
                passed ? List.of() : List.of("block 0 of vol-1 does not match the recovery point"));
    }

    private void awaitHandled(List<EventEnvelope> published) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(published)
                        .allSatisfy(e -> assertThat(table.get("EVENT#" + e.id(), "PROCESSED"))
                                .hasValueSatisfying(item ->
                                        assertThat(Items.string(item, "status")).isEqualTo("DONE"))));
    }

    private static EventPublisher publisher(String service) {
        return new EventPublisher(
                events,
                EventCodec.standard(),
                outputs.get("EventBusName"),
                service,
                TestTokens.CONNECTOR_ID,
                Clock.systemUTC());
    }

    private static RecoveryPointCreated created(String recoveryPointId, String assetId, Instant at) {
        return new RecoveryPointCreated(
                recoveryPointId,
                "vlt-1",
                assetId,
                assetId.contains(":ec2:") ? RecoveryPointKind.EC2 : RecoveryPointKind.EBS,
                at,
                null,
                100,
                10,
                null,
                Map.of());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
