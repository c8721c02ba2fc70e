package io.cloudconnector.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The integrity service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntegrityApplicationIT extends ServiceIntegrationTests {

    @Autowired
    ServiceTable table;

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
        assertThat(get("/v1/integrity/reports/r-1", bearerWith(Scopes.INTEGRITY_READ)).statusCode()).isEqualTo(200);
    }
}
