package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.backgroundjobs.backup.BackupService;
import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.restoretest.RestoreTestCadence;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.resilience.Retries;
import io.cloudconnector.common.web.ApiException;
import io.cloudconnector.common.web.FieldProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Runs a policy: what a {@code PolicyTick} (from EventBridge Scheduler or the local scheduler, through the inbox) and
 * {@code POST /v1/policies/{id}:run} do. A run selects the policy's assets from this service's projection of the
 * inventory, and starts one backup per asset through the admission of {@code POST /v1/backups}, skipping (with the
 * reason) assets that have a backup under way, are gone, or whose vault takes no backups. The run is recorded first
 * under an id derived from policy and scheduled time, so a tick delivered twice starts nothing twice; a run cut short
 * is finished by the repeated tick, the per-asset idempotency key of the admission handing back the jobs it started.
 * The assets are admitted {@code connector.policies.admission-parallelism} (8 in AWS, 1 against the emulator) at a
 * time: each admission is independent (its own idempotency key and transaction), a run's assets are distinct and the
 * busy ones left out before any starts, and the run record keeps the selection's order whatever order they finish.
 */
@Service
class PolicyTicks {

    private static final Logger log = LoggerFactory.getLogger(PolicyTicks.class);
    private static final Set<JobKind> BACKUPS = Set.of(JobKind.EBS_BACKUP, JobKind.EC2_BACKUP);
    /** Attempts of one asset's admission when AWS answers with an error of its own side. */
    static final int ATTEMPTS = 3;
    /** Assets of a run admitted at once, in AWS. */
    static final int DEFAULT_PARALLELISM = 8;

    private static final Duration BACKOFF = Duration.ofMillis(200);

    private final PolicyStore policies;
    private final PolicyRunStore runs;
    private final PolicyAssets assets;
    private final BackupService backups;
    private final JobStore jobs;
    private final VaultDirectory vaults;
    private final RestoreTestCadence restoreTests;
    private final Clock clock;
    private final int parallelism;

    PolicyTicks(
            PolicyStore policies,
            PolicyRunStore runs,
            PolicyAssets assets,
            BackupService backups,
            JobStore jobs,
            VaultDirectory vaults,
            RestoreTestCadence restoreTests,
            PolicyProperties properties,
            AwsClients aws,
            Clock clock) {
        // The emulator (moto) deep-copies every table in TransactWriteItems, unguarded: a write beside it makes it
        // answer 500. Against it the run admits one asset at a time unless told otherwise.
        Integer configured = properties.admissionParallelism();
        int parallelism = configured != null ? configured : aws.emulated() ? 1 : DEFAULT_PARALLELISM;
        if (parallelism < 1) {
            throw new IllegalArgumentException("connector.policies.admission-parallelism must be at least 1");
        }
        this.policies = policies;
        this.runs = runs;
        this.assets = assets;
        this.backups = backups;
        this.jobs = jobs;
        this.vaults = vaults;
        this.restoreTests = restoreTests;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    /** A scheduled tick: the run of {@code policyId} for {@code scheduledAt}, once whatever the deliveries. */
    void tick(String policyId, Instant scheduledAt) {
        var policy = policies.find(policyId);
        if (policy.isEmpty()) {
            log.info("Tick of policy {} ignored: the policy is deleted", policyId);
            return;
        }
        run(policy.get(), PolicyRunStore.scheduledRunId(policyId, scheduledAt), PolicyRun.SCHEDULE, scheduledAt);
    }

    /** A run now, outside the schedule ({@code :run}); its id is new. */
    PolicyRun runNow(Policy policy, String runId) {
        return run(policy, runId, PolicyRun.MANUAL, clock.instant());
    }

    private PolicyRun run(Policy policy, String runId, String trigger, Instant scheduledAt) {
        var now = clock.instant();
        var started = new PolicyRun(
                runId, policy.id(), trigger, scheduledAt, now, 0, List.of(), List.of(), PolicyRun.RUNNING);
        if (!runs.createIfAbsent(started)) {
            var earlier = runs.find(runId).orElse(started);
            if (!PolicyRun.RUNNING.equals(earlier.state())) {
                log.info(
                        "Run {} of policy {} happened already ({}); the repeated tick starts nothing",
                        runId,
                        policy.id(),
                        earlier.state());
                return earlier;
            }
            // A run cut short (the service stopped): finish it; the admission's keys return the jobs it started.
            log.info("Run {} of policy {} was cut short; finishing it", runId, policy.id());
        }
        var selected = select(policy);
        PolicyRun finished;
        var window = Duration.ofMinutes(policy.schedule().startWindowMinutes());
        if (policy.paused()) {
            finished = skipAll(started, selected, PolicyRun.Reasons.PAUSED, PolicyRun.SKIPPED);
        } else if (PolicyRun.SCHEDULE.equals(trigger) && now.isAfter(scheduledAt.plus(window))) {
            finished = skipAll(started, selected, PolicyRun.Reasons.OUTSIDE_WINDOW, PolicyRun.MISSED);
        } else if (vaults.find(policy.vaultId()).filter(v -> v.active()).isEmpty()) {
            finished = skipAll(started, selected, PolicyRun.Reasons.VAULT_UNAVAILABLE, PolicyRun.SKIPPED);
        } else {
            finished = admit(policy, started, selected);
            var restoreTest = policy.restoreTest();
            if (restoreTest != null) {
                var tested = restoreTests.run(
                        policy.id(),
                        policy.vaultId(),
                        restoreTest.interval(),
                        runId,
                        selected.stream()
                                .filter(a -> !a.deleted())
                                .map(PolicyAssets.Asset::id)
                                .toList());
                log.info("Run {} of policy {}: {} restore test(s) started", runId, policy.id(), tested.size());
            }
        }
        runs.save(finished);
        log.info(
                "Run {} of policy {}: {} selected, {} backups started, {} skipped ({})",
                runId,
                policy.id(),
                finished.assetsSelected(),
                finished.jobs().size(),
                finished.skipped().size(),
                finished.state());
        return finished;
    }

    /** A run that found the policy's schedule already past its window: recorded {@code missed}, nothing started. */
    void missed(Policy policy, Instant scheduledAt) {
        var now = clock.instant();
        var run = new PolicyRun(
                PolicyRunStore.scheduledRunId(policy.id(), scheduledAt),
                policy.id(),
                PolicyRun.SCHEDULE,
                scheduledAt,
                now,
                0,
                List.of(),
                List.of(),
                PolicyRun.RUNNING);
        if (runs.createIfAbsent(run)) {
            runs.save(skipAll(run, select(policy), PolicyRun.Reasons.OUTSIDE_WINDOW, PolicyRun.MISSED));
        }
    }

    /**
     * The assets a policy selects: those of the projection it matches that are not deleted, and every asset it
     * names by id (a deleted or never-seen one is tried, and skipped as {@code asset-gone} if EC2 agrees).
     */
    List<PolicyAssets.Asset> select(Policy policy) {
        Map<String, PolicyAssets.Asset> selected = new LinkedHashMap<>();
        for (var asset : assets.all()) {
            if (policy.selection().selects(asset.id(), asset.type(), asset.tags())
                    && (!asset.deleted() || policy.selection().assetIds().contains(asset.id()))) {
                selected.put(asset.id(), asset);
            }
        }
        for (String id : policy.selection().assetIds()) {
            String type = id.startsWith("aws:ec2:") ? "ec2" : "ebs";
            if (policy.selection().types().isEmpty()
                    || policy.selection().types().contains(type)) {
                selected.putIfAbsent(id, new PolicyAssets.Asset(id, type, Map.of(), false));
            }
        }
        return List.copyOf(selected.values());
    }

    private PolicyRun admit(Policy policy, PolicyRun run, List<PolicyAssets.Asset> selected) {
        Set<String> busy = jobs.unfinished().stream()
                .filter(j -> BACKUPS.contains(j.kind()) && j.assetId() != null)
                // A job this run started itself (a repeated, cut-short run) is not "another" backup.
                .filter(j -> !run.id().equals(j.parameter(BackupService.RUN_ID)))
                .map(j -> j.assetId())
                .collect(Collectors.toSet());
        // Each asset's outcome, in the selection's order: a skip decided here, or an admission under way.
        List<Future<Outcome>> outcomes = new ArrayList<>(selected.size());
        try (var pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(parallelism, selected.size())),
                Thread.ofPlatform().name("policy-admission-", 0).daemon().factory())) {
            for (var asset : selected) {
                if (asset.deleted()) {
                    outcomes.add(CompletableFuture.completedFuture(
                            Outcome.skipped(asset.id(), PolicyRun.Reasons.ASSET_GONE)));
                } else if (busy.contains(asset.id())) {
                    outcomes.add(CompletableFuture.completedFuture(
                            Outcome.skipped(asset.id(), PolicyRun.Reasons.ALREADY_RUNNING)));
                } else {
                    outcomes.add(pool.submit(() -> admitOne(policy, run, asset)));
                }
            }
        } // close() waits for every admission: none is left running when the run is recorded.
        List<PolicyRun.StartedJob> started = new ArrayList<>();
        List<PolicyRun.Skipped> skipped = new ArrayList<>();
        RuntimeException failure = null;
        for (var outcome : outcomes) {
            try {
                var done = outcome.get();
                if (done.job() != null) {
                    started.add(done.job());
                }
                if (done.skip() != null) {
                    skipped.add(done.skip());
                }
            } catch (ExecutionException e) {
                // Not a refusal (the store or the bus failed): the run stays running and the repeated tick finishes
                // it; the other admissions were let finish first, so their keys hand back the jobs they started.
                var cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Run " + run.id() + " interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new PolicyRun(
                run.id(),
                run.policyId(),
                run.trigger(),
                run.scheduledAt(),
                run.startedAt(),
                selected.size(),
                started,
                skipped,
                PolicyRun.COMPLETED);
    }

    /**
     * Admits one asset; a refusal by the admission is a skip with its reason. An AWS error of the server's side (5xx,
     * throttling) is tried again, up to {@value #ATTEMPTS} attempts: the admission is idempotent per run and asset
     * (a transaction that did commit is found by its key and answered again), so a run of a thousand assets is not cut
     * short by one passing error. Anything else fails the tick.
     */
    private Outcome admitOne(Policy policy, PolicyRun run, PolicyAssets.Asset asset) {
        try {
            // common's one retry: 200 ms doubling to 800 ms, ±50 %, at most ATTEMPTS tries; the last failure is thrown.
            var accepted = Retries.retry(
                    "admission of " + asset.id() + " in run " + run.id(),
                    ATTEMPTS,
                    BACKOFF,
                    BACKOFF.multipliedBy(4),
                    e -> e instanceof AwsServiceException aws
                            && (aws.statusCode() >= 500 || aws.isThrottlingException()),
                    () -> backups.startForPolicy(asset.id(), policy.vaultId(), policy.id(), run.id(), policy.scan()));
            return new Outcome(new PolicyRun.StartedJob(asset.id(), accepted.jobId()), null);
        } catch (ApiException e) {
            // The admission refused: the asset is gone from EC2, or the vault went away meanwhile.
            boolean vault = e.errors().stream().map(FieldProblem::field).anyMatch("vaultId"::equals);
            log.info("Run {}: {} not backed up: {}", run.id(), asset.id(), e.getMessage());
            return Outcome.skipped(
                    asset.id(), vault ? PolicyRun.Reasons.VAULT_UNAVAILABLE : PolicyRun.Reasons.ASSET_GONE);
        }
    }

    /** What became of one selected asset: a job started, or a skip. */
    private record Outcome(PolicyRun.@Nullable StartedJob job, PolicyRun.@Nullable Skipped skip) {
        static Outcome skipped(String assetId, String reason) {
            return new Outcome(null, new PolicyRun.Skipped(assetId, reason));
        }
    }

    private static PolicyRun skipAll(PolicyRun run, List<PolicyAssets.Asset> selected, String reason, String state) {
        return new PolicyRun(
                run.id(),
                run.policyId(),
                run.trigger(),
                run.scheduledAt(),
                run.startedAt(),
                selected.size(),
                List.of(),
                selected.stream()
                        .map(a -> new PolicyRun.Skipped(a.id(), reason))
                        .toList(),
                state);
    }
}
