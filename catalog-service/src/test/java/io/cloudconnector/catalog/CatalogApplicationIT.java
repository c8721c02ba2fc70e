package io.cloudconnector.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The catalog boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CatalogApplicationIT extends ServiceIntegrationTests {

    private static final String VAULT_ID = "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4";

    @Autowired
    ServiceTable table;

    @Override
    protected String listPath() {
        return "/v1/vaults";
    }

    @Override
    protected String listScope() {
        return Scopes.VAULTS_READ;
    }

    @Test
    void servesAVaultWrittenToItsTable() throws Exception {
        assertThat(table.name()).isEqualTo("cc-test-catalog");
        var item = ServiceTable.item("VAULT#" + VAULT_ID, "VAULT");
        item.put("gsi1pk", ServiceTable.s("VAULT"));
        item.put("gsi1sk", ServiceTable.s(VAULT_ID));
        item.put("id", ServiceTable.s(VAULT_ID));
        item.put("name", ServiceTable.s("prod"));
        item.put("region", ServiceTable.s("us-east-1"));
        item.put("status", ServiceTable.s("CREATING"));
        item.put("vpcId", ServiceTable.s("vpc-0123456789abcdef0"));
        item.put(
                "subnetIds",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(
                        java.util.List.of(ServiceTable.s("subnet-0123456789abcdef0"))));
        item.put("subnetKind", ServiceTable.s("PRIVATE"));
        item.put("creationJobId", ServiceTable.s("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));
        item.put("createdAt", ServiceTable.s("2026-11-26T10:00:00Z"));
        item.put("updatedAt", ServiceTable.s("2026-11-26T10:00:00Z"));
        table.put(item);

        var listed = get("/v1/vaults", bearerWith(Scopes.VAULTS_READ));
        var one = get("/v1/vaults/" + VAULT_ID, bearerWith(Scopes.VAULTS_READ));

        assertThat(listed.body()).contains("\"id\":\"" + VAULT_ID + "\"", "\"status\":\"creating\"");
        assertThat(one.statusCode()).isEqualTo(200);
    }
}
