package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.backgroundjobs.backup.BackupService;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.event.JobKind;
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
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Runs a policy: what a {@code PolicyTick} (from EventBridge Scheduler or the local scheduler, through the inbox) and
 * {@code POST /v1/policies/{id}:run} do. A run selects the policy's assets from this service's projection of the
 * inventory, and starts one backup per asset through the admission of {@code POST /v1/backups}, skipping (with the
 * reason) assets that have a backup under way, are gone, or whose vault takes no backups. The run is recorded first
 * under an id derived from policy and scheduled time, so a tick delivered twice starts nothing twice; a run cut short
 * is finished by the repeated tick, the per-asset idempotency key of the admission handing back the jobs it started.
 */
@Service
class PolicyTicks {

    private static final Logger log = LoggerFactory.getLogger(PolicyTicks.class);
    private static final Set<JobKind> BACKUPS = Set.of(JobKind.EBS_BACKUP, JobKind.EC2_BACKUP);

    private final PolicyStore policies;
    private final PolicyRunStore runs;
    private final PolicyAssets assets;
    private final BackupService backups;
    private final JobStore jobs;
    private final VaultDirectory vaults;
    private final Clock clock;

    PolicyTicks(
            PolicyStore policies,
            PolicyRunStore runs,
            PolicyAssets assets,
            BackupService backups,
            JobStore jobs,
            VaultDirectory vaults,
            Clock clock) {
        this.policies = policies;
        this.runs = runs;
        this.assets = assets;
        this.backups = backups;
        this.jobs = jobs;
        this.vaults = vaults;
        this.clock = clock;
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
        List<PolicyRun.StartedJob> started = new ArrayList<>();
        List<PolicyRun.Skipped> skipped = new ArrayList<>();
        for (var asset : selected) {
            if (asset.deleted()) {
                skipped.add(new PolicyRun.Skipped(asset.id(), PolicyRun.Reasons.ASSET_GONE));
            } else if (busy.contains(asset.id())) {
                skipped.add(new PolicyRun.Skipped(asset.id(), PolicyRun.Reasons.ALREADY_RUNNING));
            } else {
                try {
                    var accepted =
                            backups.startForPolicy(asset.id(), policy.vaultId(), policy.id(), run.id(), policy.scan());
                    started.add(new PolicyRun.StartedJob(asset.id(), accepted.jobId()));
                } catch (ApiException e) {
                    // The admission refused: the asset is gone from EC2, or the vault went away meanwhile.
                    boolean vault = e.errors().stream().map(FieldProblem::field).anyMatch("vaultId"::equals);
                    log.info("Run {}: {} not backed up: {}", run.id(), asset.id(), e.getMessage());
                    skipped.add(new PolicyRun.Skipped(
                            asset.id(), vault ? PolicyRun.Reasons.VAULT_UNAVAILABLE : PolicyRun.Reasons.ASSET_GONE));
                }
            }
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
