package io.cloudconnector.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.VaultEventOrders;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The provisioner service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvisionerApplicationIT extends ServiceIntegrationTests {

    @Autowired
    ServiceTable table;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    VaultRepository vaults;

    @Override
    protected String listPath() {
        return "/v1/scalez-servers";
    }

    @Override
    protected String listScope() {
        return Scopes.VAULTS_READ;
    }

    @Test
    void servesWhatIsInItsTable() throws Exception {
        assertThat(table.name()).isEqualTo("cc-test-provisioner");
        var item = ServiceTable.item("SERVER#srv-1", "SERVER");
        item.put("gsi1pk", ServiceTable.s("SERVER"));
        item.put("gsi1sk", ServiceTable.s("2026-11-26T10:00:00Z"));
        item.put("id", ServiceTable.s("srv-1"));
        item.put("vaultId", ServiceTable.s("vlt-01jd3zrx5kq0m8yv5d3m0rz2j4"));
        item.put("state", ServiceTable.s("RUNNING"));
        item.put("capacityType", ServiceTable.s("FARGATE_SPOT"));
        item.put("startedAt", ServiceTable.s("2026-11-26T10:00:00Z"));
        table.put(item);

        var listed = get("/v1/scalez-servers", bearerWith(Scopes.VAULTS_READ));

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"state\":\"running\"");
    }

    /** The vault-event order suite (common's {@link VaultEventOrders}) through this service's inbox. */
    @Test
    void everyOrderOfAVaultsEventsEachDeliveredTwiceEndsInTheSameVault() {
        VaultEventOrders.assertEveryOrderEndsTheSame(
                inbox::dispatch,
                id -> vaults.find(id)
                        .map(vault -> new VaultEventOrders.Seen(
                                vault.deleted(), null, vault.region(), vault.bucketName(), vault.kmsKeyArn(), null)),
                () -> vaults.active().stream().map(Vault::id).toList());
    }
}
