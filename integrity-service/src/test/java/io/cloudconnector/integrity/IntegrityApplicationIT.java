package io.cloudconnector.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.VaultEventOrders;
import io.cloudconnector.integrity.vault.VaultRecord;
import io.cloudconnector.integrity.vault.VaultRepository;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The integrity service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntegrityApplicationIT extends ServiceIntegrationTests {

    @Autowired
    ServiceTable table;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    VaultRepository vaults;

    @Override
    protected String listPath() {
        return "/v1/integrity/reports";
    }

    @Override
    protected String listScope() {
        return Scopes.INTEGRITY_READ;
    }

    @Test
    void servesWhatIsInItsTable() throws Exception {
        assertThat(table.name()).isEqualTo("cc-test-integrity");
        var item = ServiceTable.item("REPORT#r-1", "REPORT");
        item.put("gsi1pk", ServiceTable.s("REPORT"));
        item.put("gsi1sk", ServiceTable.s("01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));
        item.put("id", ServiceTable.s("r-1"));
        item.put("kind", ServiceTable.s("ACCOUNT"));
        item.put("outcome", ServiceTable.s("WARN"));
        item.put("createdAt", ServiceTable.s("2026-11-26T10:00:00Z"));
        table.put(item);

        var listed = get("/v1/integrity/reports", bearerWith(Scopes.INTEGRITY_READ));

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"outcome\":\"warn\"");
        assertThat(get("/v1/integrity/reports/r-1", bearerWith(Scopes.INTEGRITY_READ))
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * The vault-event order suite (common's {@link VaultEventOrders}) through this service's inbox; among the
     * orders, a {@code VaultDeleted} before its {@code VaultCreated}, which once brought the deleted vault back.
     */
    @Test
    void everyOrderOfAVaultsEventsEachDeliveredTwiceEndsInTheSameVault() {
        var scenarios = VaultEventOrders.assertEveryOrderEndsTheSame(
                inbox::dispatch,
                id -> vaults.find(id)
                        .map(vault -> new VaultEventOrders.Seen(
                                vault.deleted(),
                                vault.name(),
                                vault.region(),
                                vault.bucketName(),
                                vault.kmsKeyArn(),
                                vault.updatedAt())),
                () -> vaults.active().stream().map(VaultRecord::id).toList());
        // What only integrity keeps: a new vault's autoScan, from its default, never changed by the events.
        assertThat(scenarios)
                .allSatisfy(scenario -> assertThat(vaults.find(scenario.vaultId()))
                        .hasValueSatisfying(vault -> assertThat(vault.autoScan())
                                .as("autoScan after %s", scenario)
                                .isFalse()));
    }

    /** The settings of a vault change while it lives; a deleted one stays deleted and answers 404. */
    @Test
    void settingsChangeALiveVaultOnlyAndSurviveARedeliveredCreation() throws Exception {
        var scenario = VaultEventOrders.everyOrderOfEverySubset().getFirst(); // its creation, twice
        var creation = scenario.deliveries().getFirst();
        inbox.dispatch(creation);
        String path = "/v1/integrity/vaults/" + scenario.vaultId() + "/settings";

        assertThat(vaults.find(scenario.vaultId()).orElseThrow().autoScan()).isFalse();
        var changed = send("PUT", path, "{\"autoScan\":true}", bearerWith(Scopes.INTEGRITY_WRITE));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("\"autoScan\":true");
        inbox.dispatch(EventEnvelope.wrap(creation.payload(), TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
        assertThat(vaults.find(scenario.vaultId()).orElseThrow().autoScan()).isTrue();

        inbox.dispatch(EventEnvelope.wrap(
                new VaultDeleted(scenario.vaultId()), TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
        assertThat(send("PUT", path, "{\"autoScan\":false}", bearerWith(Scopes.INTEGRITY_WRITE))
                        .statusCode())
                .isEqualTo(404);
        assertThat(vaults.find(scenario.vaultId())).hasValueSatisfying(vault -> {
            assertThat(vault.deleted()).isTrue();
            assertThat(vault.autoScan()).isTrue();
        });
    }
}
