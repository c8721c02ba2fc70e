package io.cloudconnector.jobstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The jobstatus service boots against the connector stack in the emulator and serves its table, secured. */
@TestPropertySource(properties = {"connector.jobstatus.list-sync=200ms", "connector.jobstatus.list-reload=1s"})
class JobstatusApplicationIT extends JobstatusIntegrationTests {

    @Autowired
    ServiceTable table;

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

        // Written behind the service's back, as another task would: lists show it after the next whole re-read.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var listed = get("/v1/jobs", bearerWith(Scopes.JOBS_READ));
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("\"kind\":\"ebs-backup\"");
        });
        assertThat(get("/v1/jobs/j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", bearerWith(Scopes.JOBS_READ))
                        .statusCode())
                .isEqualTo(200);
    }
}
