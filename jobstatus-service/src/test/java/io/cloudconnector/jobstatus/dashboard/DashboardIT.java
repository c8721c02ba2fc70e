package io.cloudconnector.jobstatus.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.jobstatus.JobstatusIntegrationTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator dashboard in a real headless Chromium against the real service: a job whose events
 * travel the emulator's bus, rule and inbox visibly advances on the page, fed by the SSE stream.
 */
class DashboardIT extends JobstatusIntegrationTests {

    private static final Duration SHOWN = Duration.ofSeconds(60);

    /** The browser of the running test; opened by the tests that need one. */
    private Chromium browser;

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void aJobProgressingInTheEmulatorVisiblyAdvancesOnThePage() throws Exception {
        String id = Ids.job();
        publish(
                id,
                new JobCreated(id, JobKind.EBS_BACKUP, Ids.vault(), "aws:ebs:123456789012:us-east-1:vol-0abc", null),
                new JobStarted(id, 8L << 30));
        await().atMost(SHOWN)
                .until(() -> get("/v1/jobs/" + id, bearerWith(Scopes.JOBS_READ))
                        .body()
                        .contains("\"running\""));

        browser = Chromium.launch();
        browser.navigate("http://127.0.0.1:" + port + "/");
        await().atMost(SHOWN).until(() -> bool("!document.getElementById('login').hidden"));
        assertThat(bool("document.getElementById('jobs').hidden")).isTrue();

        signIn(TOKENS.token(Scopes.JOBS_READ, Scopes.JOBS_WRITE));
        await().atMost(SHOWN)
                .until(() -> text("row('" + id + "')?.dataset.state").equals("running")
                        && text("document.getElementById('live').textContent").equals("live"));

        publish(id, new JobProgressed(id, 1, 2L << 30, 8L << 30));
        await().atMost(SHOWN).until(() -> bar(id) == 25.0);
        assertThat(text("row('" + id + "').querySelector('.progress-label').textContent"))
                .isEqualTo("25% · 2.0 GiB of 8.0 GiB");

        publish(id, new JobProgressed(id, 2, 6L << 30, 8L << 30));
        await().atMost(SHOWN).until(() -> bar(id) == 75.0);
        saveScreenshot("dashboard-running.png");

        browser.evaluate("row('" + id + "').click()");
        await().atMost(SHOWN)
                .until(() ->
                        text("document.getElementById('detail').dataset.jobId").equals(id));
        assertThat(text("document.getElementById('detail-log').textContent")).contains("created", "started");

        publish(id, new JobSucceeded(id, new JobResult(null, "snap-0123", null, null, null)));
        await().atMost(SHOWN)
                .until(() -> text("row('" + id + "').dataset.state").equals("succeeded") && bar(id) == 100.0);
        await().atMost(SHOWN)
                .until(() -> text("document.getElementById('detail-log').textContent")
                        .contains("succeeded"));
        assertThat(text("document.getElementById('detail-fields').textContent")).contains("snap-0123");
        assertThat(bool("document.getElementById('cancel-job').hidden")).isTrue();
        saveScreenshot("dashboard-succeeded.png");

        filter("filter-state", "failed");
        await().atMost(SHOWN).until(() -> text("String(row('" + id + "'))").equals("null"));
        filter("filter-state", "succeeded");
        await().atMost(SHOWN)
                .until(() -> text("row('" + id + "')?.dataset.state").equals("succeeded"));
    }

    @Test
    void aRefusedTokenSendsTheOperatorBackToSignIn() throws Exception {
        browser = Chromium.launch();
        browser.navigate("http://127.0.0.1:" + port + "/");
        await().atMost(SHOWN).until(() -> bool("!document.getElementById('login').hidden"));

        signIn(TOKENS.tokenForAudience("another-connector", Scopes.JOBS_READ));

        await().atMost(SHOWN).until(() -> bool("!document.getElementById('login-error').hidden"));
        assertThat(text("document.getElementById('login-error').textContent")).contains("token was refused");
        assertThat(bool("sessionStorage.length === 0")).isTrue();
    }

    private void signIn(String token) throws Exception {
        browser.evaluate("document.getElementById('token').value = '" + token + "';"
                + "document.getElementById('login-form').requestSubmit(); true");
        // A helper for the expressions below: the row of a job, or null.
        browser.evaluate("window.row = (id) => document.querySelector(`tr[data-job-id=\"${id}\"]`); true");
    }

    private void filter(String select, String value) throws Exception {
        browser.evaluate("(() => { const s = document.getElementById('" + select + "'); s.value = '" + value + "';"
                + "s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
    }

    private double bar(String id) throws Exception {
        var value = browser.evaluate("row('" + id + "')?.querySelector('progress').value ?? -1");
        return value.asDouble();
    }

    private boolean bool(String expression) throws Exception {
        return browser.evaluate("Boolean(" + expression + ")").asBoolean();
    }

    private String text(String expression) throws Exception {
        var value = browser.evaluate("String(" + expression + ")");
        return value.asString();
    }

    private void saveScreenshot(String name) throws Exception {
        Files.write(Path.of("target", name), browser.screenshot());
    }
}
