package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.jobstatus.JobstatusIntegrationTests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/jobs} served from the task's memory ({@link JobListView}), with the table behind it: a view of three
 * jobs, so that pages cross from memory to the table, re-read every 200 ms, so that what another task stores (written
 * here straight to the table, as that task would) shows up.
 */
@TestPropertySource(properties = {"connector.jobstatus.cache-size=3", "connector.jobstatus.list-sync=200ms"})
class JobListIT extends JobstatusIntegrationTests {

    private static final Duration SYNC = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    JobRepository repository;

    @Autowired
    JobListView view;

    @BeforeEach
    void viewLoaded() {
        await().atMost(SYNC).until(() -> view.covers().isPresent());
    }

    @Test
    void pagesRunNewestFirstFromMemoryIntoTheTableWithTheSameTokens() throws Exception {
        String vault = Ids.vault();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = Ids.job();
            ids.add(id);
            dispatch(id, new JobCreated(id, i % 2 == 0 ? JobKind.SCAN : JobKind.PRUNE, vault, null, null));
        }
        // The view keeps the three newest; the two oldest are only in the table.
        assertThat(view.covers()).contains(ids.get(2));
        String base = "/v1/jobs?vaultId=" + vault;

        assertThat(pages(base + "&limit=2")).isEqualTo(ids.reversed());
        assertThat(pages(base + "&limit=2&kind=scan")).containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(idsOf(list(base + "&limit=50"))).isEqualTo(ids.reversed());
        assertThat(idsOf(list(base + "&kind=prune"))).containsExactly(ids.get(3), ids.get(1));
    }

    @Test
    void aJobUpdatedAfterBeingListedIsListedInItsNewState() throws Exception {
        String vault = Ids.vault();
        String id = Ids.job();
        dispatch(id, new JobCreated(id, JobKind.EBS_BACKUP, vault, null, null));
        assertThat(idsOf(list("/v1/jobs?state=queued&vaultId=" + vault))).containsExactly(id);

        dispatch(id, new JobStarted(id, 4096L));

        assertThat(idsOf(list("/v1/jobs?state=queued&vaultId=" + vault))).isEmpty();
        var running = list("/v1/jobs?state=running&vaultId=" + vault).path("items");
        assertThat(running.findValuesAsString("id")).containsExactly(id);
        assertThat(running.get(0).path("version").asLong()).isEqualTo(2);
    }

    @Test
    void whatAnotherTaskCreatedOrFinishedShowsAfterTheNextReRead() throws Exception {
        String vault = Ids.vault();
        String running = Ids.job();
        dispatch(running, new JobCreated(running, JobKind.SCAN, vault, null, null));
        dispatch(running, new JobStarted(running, 10L));
        assertThat(idsOf(list("/v1/jobs?state=running&vaultId=" + vault))).containsExactly(running);

        // Another task, which this one never hears from, creates a job and finishes the running one.
        Instant now = Instant.now();
        String elsewhere = Ids.job();
        var created = JobRecord.unknown(elsewhere)
                .apply(new JobCreated(elsewhere, JobKind.PRUNE, vault, null, null), now)
                .stored(now);
        assertThat(repository.write(created, 0)).isTrue();
        var stored = repository.find(running).orElseThrow();
        var finished =
                stored.apply(new JobSucceeded(running, JobResult.none()), now).stored(now);
        assertThat(repository.write(finished, stored.version())).isTrue();

        await().atMost(SYNC)
                .untilAsserted(() ->
                        assertThat(idsOf(list("/v1/jobs?vaultId=" + vault))).containsExactly(elsewhere, running));
        await().atMost(SYNC)
                .untilAsserted(() -> assertThat(idsOf(list("/v1/jobs?state=succeeded&vaultId=" + vault)))
                        .containsExactly(running));
        assertThat(idsOf(list("/v1/jobs?state=running&vaultId=" + vault))).isEmpty();
    }

    /** Every page of {@code path}, following the page tokens. */
    private List<String> pages(String path) throws Exception {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            var page = list(path + (token == null ? "" : "&pageToken=" + token));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            seen.addAll(idsOf(page));
            token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asString() : null;
        } while (token != null);
        return seen;
    }

    private JsonNode list(String path) throws Exception {
        var response = get(path, bearerWith(Scopes.JOBS_READ));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> idsOf(JsonNode page) {
        return page.path("items").findValuesAsString("id");
    }

    private void dispatch(String jobId, ConnectorEvent event) {
        inbox.dispatch(EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, jobId, Clock.systemUTC()));
    }
}
