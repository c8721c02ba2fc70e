package io.cloudconnector.backgroundjobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.VaultEventOrders;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The background-jobs service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackgroundJobsApplicationIT extends ServiceIntegrationTests {

    @Autowired
    ServiceTable table;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    VaultDirectory vaults;

    @Override
    protected String listPath() {
        return "/v1/backups";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @Test
    void servesWhatIsInItsTable() throws Exception {
        assertThat(table.name()).isEqualTo("cc-test-background-jobs");
        var item = ServiceTable.item("JOB#j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", "BACKUP");
        item.put("gsi1pk", ServiceTable.s("BACKUP"));
        item.put("gsi1sk", ServiceTable.s("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));
        item.put("jobId", ServiceTable.s("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));
        item.put("assetId", ServiceTable.s("aws:ebs:123456789012:us-east-1:vol-1"));
        item.put("vaultId", ServiceTable.s("vlt-01jd3zrx5kq0m8yv5d3m0rz2j4"));
        item.put("requestedAt", ServiceTable.s("2026-11-26T10:00:00Z"));
        table.put(item);

        var listed = get("/v1/backups", bearerWith(Scopes.JOBS_READ));

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"assetId\":\"aws:ebs:123456789012:us-east-1:vol-1\"");
    }

    /** The vault-event order suite (common's {@link VaultEventOrders}) through this service's inbox. */
    @Test
    void everyOrderOfAVaultsEventsEachDeliveredTwiceEndsInTheSameVault() {
        VaultEventOrders.assertEveryOrderEndsTheSame(
                inbox::dispatch,
                id -> vaults.find(id)
                        .map(vault -> new VaultEventOrders.Seen(
                                !vault.active(),
                                vault.name(),
                                vault.region(),
                                vault.bucketName(),
                                vault.kmsKeyArn(),
                                null)),
                null);
    }
}
