package io.cloudconnector.jobstatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The jobstatus service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobstatusApplicationIT extends ServiceIntegrationTests {

    @Autowired
    ServiceTable table;

    @Override
    protected String listPath() {
        return "/v1/jobs";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @Test
    void servesWhatIsInItsTable() throws Exception {
        assertThat(table.name()).isEqualTo("cc-test-jobstatus");
        var item = ServiceTable.item("JOB#j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", "JOB");
        item.put("gsi1pk", ServiceTable.s("JOB"));
        item.put("gsi1sk", ServiceTable.s("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));
        item.put("id", ServiceTable.s("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));
        item.put("kind", ServiceTable.s("ebs-backup"));
        item.put("state", ServiceTable.s("QUEUED"));
        item.put("createdAt", ServiceTable.s("2026-11-26T10:00:00Z"));
        table.put(item);

        var listed = get("/v1/jobs", bearerWith(Scopes.JOBS_READ));

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"kind\":\"ebs-backup\"");
        assertThat(get("/v1/jobs/j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", bearerWith(Scopes.JOBS_READ)).statusCode()).isEqualTo(200);
    }
}
