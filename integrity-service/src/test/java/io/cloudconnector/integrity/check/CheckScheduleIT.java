package io.cloudconnector.integrity.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daily run of the account checks against the connector stack in the emulator. The cron itself is off
 * here so that only the test fires it; that also gives the class a context of its own, started after its
 * emulator is reset and the stack deployed (a cached context restarted for it would look for queues before
 * they exist again).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "connector.integrity.checks.schedule=-")
class CheckScheduleIT extends ServiceIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    CheckSchedule schedule;

    @Override
    protected String listPath() {
        return "/v1/integrity/reports";
    }

    @Override
    protected String listScope() {
        return Scopes.INTEGRITY_READ;
    }

    private JsonNode accountReportOf(String jobId) throws Exception {
        for (var item : JSON.readTree(
                        get("/v1/integrity/reports?kind=account&limit=500", bearerWith(Scopes.INTEGRITY_READ))
                                .body())
                .path("items")) {
            if (item.path("jobId").asString().equals(jobId)) {
                return JSON.readTree(
                        get("/v1/integrity/reports/" + item.path("id").asString(), bearerWith(Scopes.INTEGRITY_READ))
                                .body());
            }
        }
        return null;
    }

    @Test
    void everyReplicaFiresButADayHasOneRunAndItsAccountReport() throws Exception {
        String first = schedule.today();
        String second = schedule.today();

        assertThat(second).isEqualTo(first);
        await().atMost(Duration.ofMinutes(2)).until(() -> accountReportOf(first) != null);
        var report = accountReportOf(first);
        assertThat(report.path("kind").asString()).isEqualTo("account");
        assertThat(report.path("details").path("checks")).anySatisfy(check -> {
            assertThat(check.path("check").asString()).isEqualTo("region-supported");
            assertThat(check.path("outcome").asString()).isEqualTo("pass");
        });
    }
}
