package io.cloudconnector.backgroundjobs.maintenance;

import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.backgroundjobs.job.JobContext;
import io.cloudconnector.backgroundjobs.job.JobFailure;
import io.cloudconnector.backgroundjobs.job.JobWork;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.VaultPruned;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.scalez.repo.lock.LockedException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A {@code vault-maintenance} job: forgets the recovery points that were expired or deleted but are still in the
 * repository (a removal that could not be carried out at the time, or a point whose Object Lock had not ended: it
 * stays until its lock ends, and a later run forgets it), in one engine run under the vault's exclusive lease: locks
 * re-extended, prune (unreferenced packs deleted, mostly-garbage packs repacked), check (structure every run, and the
 * day's rotating sample of packs read so that every pack is read once per {@code connector.jobs.maintenance-read-data},
 * 30 days by default); then publishes {@link VaultPruned} with what the repository now holds, the bytes freed and
 * the damage found. Run again after a worker died, it finds less to do and finishes the work: every
 * engine step leaves the repository consistent.
 */
@Component
class VaultMaintenanceWork implements JobWork {

    private static final Logger log = LoggerFactory.getLogger(VaultMaintenanceWork.class);

    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final RecoveryPointStore points;
    private final MaintenanceEngine engine;
    private final EventPublisher events;
    private final JobsProperties properties;
    private final Clock clock;

    VaultMaintenanceWork(
            VaultDirectory vaults,
            VaultRepositories repositories,
            RecoveryPointStore points,
            MaintenanceEngine engine,
            EventPublisher events,
            JobsProperties properties,
            Clock clock) {
        this.vaults = vaults;
        this.repositories = repositories;
        this.points = points;
        this.engine = engine;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Set<JobKind> kinds() {
        return Set.of(JobKind.VAULT_MAINTENANCE);
    }

    @Override
    public JobResult run(JobContext context) {
        var job = context.job();
        Vault vault = vaults.find(job.vaultId())
                .filter(Vault::active)
                .orElseThrow(
                        () -> new JobFailure("vault-unavailable", "Vault " + job.vaultId() + " is unknown or deleted"));
        var started = clock.instant();
        var repository = repositories.openForMaintenance(vault);
        List<String> toForget = engine.recoveryPoints(repository).stream()
                .filter(id -> points.find(id).map(p -> !p.available()).orElse(false))
                .sorted()
                .toList();
        int readDataCycleDays =
                (int) Math.max(1, properties.maintenanceReadData().toDays());
        context.checkpoint();
        MaintenanceEngine.Outcome outcome;
        try {
            outcome = engine.run(repository, toForget, readDataCycleDays);
        } catch (LockedException e) {
            throw new JobFailure(
                    "vault-busy",
                    "Vault " + vault.id() + " stayed locked for " + properties.maintenanceLockWait() + ": "
                            + e.getMessage(),
                    e);
        }
        var result = outcome.result();
        events.publish(
                new VaultPruned(vault.id(), job.id(), outcome.storedBytes(), result.bytesFreed(), outcome.damage()),
                job.id());
        log.info(
                "Vault {} maintained in {}: {} recovery points forgotten ({} kept: Object Lock still protects them),"
                        + " {} object versions' locks extended, {} bytes freed ({} packs deleted, {} repacked), {}"
                        + " packs read (the day's sample of a {}-day cycle), {} damaged objects",
                vault.id(),
                java.time.Duration.between(started, clock.instant()),
                result.recoveryPointsForgotten(),
                result.recoveryPointsKeptLocked().size(),
                result.locksExtended(),
                result.bytesFreed(),
                result.packsDeleted(),
                result.packsRepacked(),
                result.checkedPacks(),
                readDataCycleDays,
                outcome.damage().size());
        return JobResult.maintenance(
                result.bytesFreed(),
                result.packsDeleted(),
                result.packsRepacked(),
                result.recoveryPointsForgotten(),
                result.checkedPacks(),
                outcome.damage());
    }
}
