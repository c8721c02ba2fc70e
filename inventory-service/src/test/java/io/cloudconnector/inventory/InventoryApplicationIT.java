package io.cloudconnector.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The inventory service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InventoryApplicationIT extends ServiceIntegrationTests {

    @Autowired
    ServiceTable table;

    @Override
    protected String listPath() {
        return "/v1/assets";
    }

    @Override
    protected String listScope() {
        return Scopes.ASSETS_READ;
    }

    @Test
    void servesWhatIsInItsTable() throws Exception {
        assertThat(table.name()).isEqualTo("cc-test-inventory");
        var item = ServiceTable.item("ASSET#aws:ebs:123456789012:us-east-1:vol-1", "ASSET");
        item.put("gsi1pk", ServiceTable.s("ASSET"));
        item.put("gsi1sk", ServiceTable.s("2026-11-26T10:00:00Z"));
        item.put("id", ServiceTable.s("aws:ebs:123456789012:us-east-1:vol-1"));
        item.put("type", ServiceTable.s("EBS"));
        item.put("state", ServiceTable.s("in-use"));
        item.put("firstSeen", ServiceTable.s("2026-11-26T10:00:00Z"));
        item.put("lastSeen", ServiceTable.s("2026-11-26T10:00:00Z"));
        table.put(item);

        var listed = get("/v1/assets", bearerWith(Scopes.ASSETS_READ));

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"type\":\"ebs\"");
        assertThat(get("/v1/assets/aws:ebs:123456789012:us-east-1:vol-1", bearerWith(Scopes.ASSETS_READ)).statusCode()).isEqualTo(200);
    }
}
