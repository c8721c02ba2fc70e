package io.cloudconnector.jobstatus.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCounter;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.ProgressUnits;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.jobstatus.JobstatusIntegrationTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
                        && text("document.getElementById('live').textContent").equals("● live"));

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
        assertThat(bool("document.getElementById('jobs').hidden")).isTrue();
        assertThat(text("location.hash")).isEqualTo("#job=" + id);
        assertThat(text("document.getElementById('detail-log').textContent")).contains("created", "started");

        publish(id, new JobSucceeded(id, new JobResult(null, "snap-0123", null, null, null)));
        await().atMost(SHOWN)
                .until(() ->
                        text("document.getElementById('detail').dataset.state").equals("succeeded"));
        await().atMost(SHOWN)
                .until(() -> text("document.getElementById('detail-log').textContent")
                        .contains("succeeded"));
        assertThat(text("document.getElementById('detail-result').textContent")).contains("snap-0123");
        assertThat(bool("document.getElementById('cancel-job').hidden")).isTrue();
        saveScreenshot("dashboard-succeeded.png");

        browser.evaluate("document.getElementById('back').click(); true");
        await().atMost(SHOWN)
                .until(() -> text("row('" + id + "')?.dataset.state").equals("succeeded") && bar(id) == 100.0);
        filter("filter-state", "failed");
        await().atMost(SHOWN).until(() -> text("String(row('" + id + "'))").equals("null"));
        filter("filter-state", "succeeded");
        await().atMost(SHOWN)
                .until(() -> text("row('" + id + "')?.dataset.state").equals("succeeded"));
        assertThat(text("location.hash")).isEqualTo("#state=succeeded");
    }

    @Test
    void jobsOfEveryKindShowTheirUnitsWhatTheyAreAboutAndTheirPages() throws Exception {
        String vault = Ids.vault();
        String asset = "aws:ebs:123456789012:us-east-1:vol-0abc";
        String backup = Ids.job();
        String discovery = Ids.job();
        String checks = Ids.job();
        String busy = Ids.job();
        String scan = Ids.job();
        String restore = Ids.job();
        String queued = Ids.job();
        String provisioning = Ids.job();
        String prune = Ids.job();
        String vaultCreate = Ids.job();
        publish(
                vault,
                new VaultCreated(vault, "prod-backups", "us-east-1", "bucket-1", "arn:aws:kms:us-east-1:1:key/k"),
                new AssetChanged(asset, AssetChange.CREATED, null, Map.of("tags", Map.of("Name", "web-1"))));
        publish(
                backup,
                new JobCreated(backup, JobKind.EBS_BACKUP, vault, asset, null, "pol-nightly", "run-7"),
                new JobStarted(backup, 8L << 30),
                new JobProgressed(backup, 1, 2L << 30, 8L << 30));
        publish(
                discovery,
                new JobCreated(discovery, JobKind.DISCOVERY, null, null, null),
                new JobStarted(discovery, null, ProgressUnits.ASSETS),
                new JobProgressed(discovery, 1, 1_234, 10_000, ProgressUnits.ASSETS, null));
        publish(
                checks,
                new JobCreated(checks, JobKind.INTEGRITY_CHECK, null, null, null),
                new JobStarted(checks, null, ProgressUnits.CHECKS),
                new JobProgressed(checks, 1, 5, 14, ProgressUnits.CHECKS, null));
        publish(
                busy,
                new JobCreated(busy, JobKind.INTEGRITY_CHECK, null, null, null),
                new JobFailed(busy, "checks-busy", "Account checks are already running and queued; try again later"));
        publish(
                scan,
                new JobCreated(scan, JobKind.SCAN, vault, asset, "rp-1"),
                new JobStarted(scan, null),
                new JobProgressed(scan, 1, 300L << 20, 1L << 30, null, new JobCounter(ProgressUnits.FILES, 40, 120)),
                new JobSucceeded(scan, new JobResult(null, null, null, null, "rep-1", "infected")));
        publish(
                restore,
                new JobCreated(restore, JobKind.EBS_RESTORE, vault, asset, "rp-1"),
                new JobProvisioning(restore),
                new JobStarted(restore, 1L << 30),
                new JobSucceeded(restore, new JobResult(null, null, "vol-0restored", null, null)));
        publish(
                queued,
                new JobCreated(queued, JobKind.EC2_BACKUP, vault, "aws:ec2:123456789012:us-east-1:i-0abc", null));
        publish(
                provisioning,
                new JobCreated(
                        provisioning, JobKind.EC2_RESTORE, vault, "aws:ec2:123456789012:us-east-1:i-0abc", "rp-2"),
                new JobProvisioning(provisioning));
        publish(prune, new JobCreated(prune, JobKind.PRUNE, vault, null, null), new JobCancelled(prune));
        publish(
                vaultCreate,
                new JobCreated(vaultCreate, JobKind.VAULT_CREATE, vault, null, null),
                new JobStarted(vaultCreate, null),
                new JobSucceeded(vaultCreate, JobResult.none()));
        var everyone =
                List.of(backup, discovery, checks, busy, scan, restore, queued, provisioning, prune, vaultCreate);
        await().atMost(SHOWN)
                .until(() -> apiShows(backup, "\"assetName\":\"web-1\"", "\"vaultName\":\"prod-backups\"")
                        && apiShows(scan, "\"succeeded\"", "\"files\"")
                        && apiShows(restore, "\"succeeded\"")
                        && apiShows(busy, "checks-busy")
                        && apiShows(prune, "\"cancelled\"")
                        && apiShows(vaultCreate, "\"succeeded\"")
                        && apiShows(provisioning, "\"provisioning\"")
                        && apiShows(discovery, "1234")
                        && apiShows(checks, "\"checks\""));
        assertThat(get("/v1/jobs?policyId=pol-nightly", bearerWith(Scopes.JOBS_READ))
                        .body())
                .contains(backup)
                .doesNotContain(scan);

        browser = Chromium.launch();
        browser.resize(1280, 800);
        browser.navigate("http://127.0.0.1:" + port + "/");
        await().atMost(SHOWN).until(() -> bool("!document.getElementById('login').hidden"));
        signIn(TOKENS.token(Scopes.JOBS_READ, Scopes.JOBS_WRITE));
        await().atMost(SHOWN)
                .until(() -> everyone.stream().allMatch(id -> {
                    try {
                        return !text("String(row('" + id + "'))").equals("null");
                    } catch (Exception e) {
                        return false;
                    }
                }));

        // Units: counts of things are counted, bytes stay bytes, a scan shows its files too.
        assertThat(label(discovery)).isEqualTo("1,234 of 10,000 assets");
        assertThat(cell(discovery, 6)).contains(" assets/s").doesNotContain("B/s");
        assertThat(label(checks)).isEqualTo("5 of 14 checks");
        assertThat(label(backup)).isEqualTo("25% · 2.0 GiB of 8.0 GiB");
        assertThat(cell(backup, 6)).contains("/s");
        assertThat(label(scan)).isEqualTo("100% · 1.0 GiB of 1.0 GiB · 120 of 120 files");
        // What each job is about: asset (by its Name tag), vault (by name), and how long it took.
        assertThat(cell(backup, 3)).isEqualTo("web-1vol-0abc");
        assertThat(cell(backup, 4)).startsWith("prod-backups");
        assertThat(cell(queued, 3)).isEqualTo("i-0abc");
        assertThat(cell(discovery, 3)).isEmpty();
        assertThat(cell(restore, 7)).matches("\\d+s");
        // A failed row says why, inline; its bar does not pretend anything.
        assertThat(text("row('" + busy + "').querySelector('.row-error').textContent"))
                .isEqualTo("checks-busy Account checks are already running and queued; try again later");
        assertThat(text("getComputedStyle(row('" + busy + "').querySelector('progress')).display"))
                .isEqualTo("none");
        // The state is in words (and a symbol), not only in a colour.
        assertThat(cell(restore, 2)).isEqualTo("✓ succeeded");
        assertThat(cell(busy, 2)).isEqualTo("✗ failed");
        assertThat(cell(prune, 2)).isEqualTo("⊘ cancelled");
        assertThat(cell(provisioning, 2)).isEqualTo("⚙ provisioning");
        assertThat(cell(queued, 2)).isEqualTo("◷ queued");
        // Everything fits a 1280×800 window.
        assertThat(bool("document.documentElement.scrollWidth <= 1280")).isTrue();
        assertThat(
                        bool(
                                "document.querySelector('.table-wrap').scrollWidth <= document.querySelector('.table-wrap').clientWidth"))
                .isTrue();
        saveScreenshot("dashboard-jobs-1280.png");

        // Keyboard: rows take the focus (visibly), arrows move it, Enter opens the job's page.
        browser.evaluate("document.querySelector('#job-rows tr').focus(); true");
        browser.press("ArrowDown", 40);
        assertThat(text("document.activeElement.dataset.jobId"))
                .isEqualTo(text("document.querySelectorAll('#job-rows tr')[1].dataset.jobId"));
        assertThat(text("getComputedStyle(document.activeElement).outlineStyle"))
                .isEqualTo("solid");
        browser.evaluate("row('" + scan + "').focus(); true");
        browser.press("Enter", 13);
        await().atMost(SHOWN)
                .until(() ->
                        text("document.getElementById('detail').dataset.jobId").equals(scan)
                                && !bool("document.getElementById('result-section').hidden"));
        assertThat(text("location.hash")).isEqualTo("#job=" + scan);
        assertThat(text("document.getElementById('detail-result').textContent")).contains("rep-1", "verdict infected");
        assertThat(text("document.querySelector('#detail-result a').getAttribute('href')"))
                .isEqualTo("/v1/integrity/reports/rep-1");
        assertThat(text("[...document.querySelectorAll('#detail-timeline li')].map(li => li.dataset.phase).join()"))
                .isEqualTo("queued,running,succeeded");
        assertThat(text("document.getElementById('detail-fields').textContent"))
                .contains("web-1", asset, "prod-backups", vault, "rp-1");
        assertThat(text("document.querySelector('#detail-fields a[href=\"/v1/recovery-points/rp-1\"]')?.textContent"))
                .isEqualTo("rp-1");
        saveScreenshot("dashboard-scan-page.png");

        browser.press("Escape", 27);
        await().atMost(SHOWN).until(() -> !bool("document.getElementById('jobs').hidden"));
        browser.evaluate("row('" + restore + "').click(); true");
        await().atMost(SHOWN)
                .until(() ->
                        text("document.getElementById('detail').dataset.jobId").equals(restore)
                                && !bool("document.getElementById('result-section').hidden"));
        assertThat(text("[...document.querySelectorAll('#detail-timeline li')].map(li => li.dataset.phase).join()"))
                .isEqualTo("queued,provisioning,running,succeeded");
        assertThat(text("document.querySelector('#detail-result a').getAttribute('href')"))
                .isEqualTo("/v1/assets/aws%3Aebs%3A123456789012%3Aus-east-1%3Avol-0restored");

        // A failed job's page shows its error; a running one can be cancelled from its page.
        browser.evaluate("location.hash = 'job=" + busy + "'; true");
        await().atMost(SHOWN)
                .until(() ->
                        text("document.getElementById('detail').dataset.jobId").equals(busy)
                                && !bool("document.getElementById('detail-error').hidden"));
        assertThat(text("document.getElementById('detail-error').textContent"))
                .startsWith("checks-busy: Account checks");
        assertThat(bool("document.getElementById('cancel-job').hidden")).isTrue();
        browser.evaluate("location.hash = 'job=" + backup + "'; true");
        await().atMost(SHOWN)
                .until(() ->
                        text("document.getElementById('detail').dataset.jobId").equals(backup)
                                && !bool("document.getElementById('cancel-job').hidden"));
        assertThat(text("document.getElementById('detail-fields').textContent")).contains("pol-nightly", "run-7");
        saveScreenshot("dashboard-backup-page.png");
        browser.evaluate("window.confirm = () => true; document.getElementById('cancel-job').click(); true");
        await().atMost(SHOWN)
                .until(() -> text("document.getElementById('detail-log').textContent")
                        .contains("cancel-requested"));
        assertThat(text("document.getElementById('cancel-message').textContent"))
                .startsWith("Cancel requested");
        assertThat(bool("document.getElementById('cancel-job').hidden")).isTrue();

        // Filters by vault, asset and policy, kept in the URL.
        browser.evaluate("document.getElementById('back').click(); true");
        await().atMost(SHOWN).until(() -> !bool("document.getElementById('jobs').hidden"));
        filter("filter-policy", "pol-nightly");
        await().atMost(SHOWN).until(() -> text("String(row('" + scan + "'))").equals("null"));
        assertThat(text("row('" + backup + "')?.dataset.state")).isEqualTo("running");
        assertThat(text("location.hash")).isEqualTo("#policyId=pol-nightly");
        filter("filter-policy", "");
        filter("filter-asset", asset);
        await().atMost(SHOWN)
                .until(() -> text("String(row('" + discovery + "'))").equals("null")
                        && !text("String(row('" + scan + "'))").equals("null"));
        filter("filter-asset", "");
        filter("filter-vault", vault);
        await().atMost(SHOWN)
                .until(() -> text("String(row('" + checks + "'))").equals("null")
                        && !text("String(row('" + prune + "'))").equals("null"));
        filter("filter-vault", "");

        // A narrow window: the page does not overflow sideways, the essentials stay.
        browser.resize(480, 800);
        await().atMost(SHOWN)
                .until(() -> !text("String(row('" + discovery + "'))").equals("null"));
        assertThat(bool("document.documentElement.scrollWidth <= 480")).isTrue();
        assertThat(bool("getComputedStyle(row('" + backup + "').querySelector('.progress-col')).display !== 'none'"))
                .isTrue();
        saveScreenshot("dashboard-jobs-narrow.png");
    }

    private boolean apiShows(String id, String... fragments) throws Exception {
        var body = get("/v1/jobs/" + id, bearerWith(Scopes.JOBS_READ)).body();
        for (var fragment : fragments) {
            if (!body.contains(fragment)) {
                return false;
            }
        }
        return true;
    }

    private String label(String id) throws Exception {
        return text("row('" + id + "').querySelector('.progress-label').textContent");
    }

    private String cell(String id, int column) throws Exception {
        return text("row('" + id + "').cells[" + column + "].textContent");
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
