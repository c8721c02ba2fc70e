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
 * repository (a removal that could not be carried out at the time), prunes (unreferenced packs deleted, mostly-garbage
 * packs repacked), checks (structure every run; every pack read when none was in
 * {@code connector.jobs.maintenance-read-data}), and publishes {@link VaultPruned} with what the repository now holds,
 * the bytes freed and the damage found. Run again after a worker died, it finds less to do and finishes the work: every
 * engine step leaves the repository consistent.
 */
@Component
class VaultMaintenanceWork implements JobWork {

    private static final Logger log = LoggerFactory.getLogger(VaultMaintenanceWork.class);

    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final RecoveryPointStore points;
    private final MaintenanceEngine engine;
    private final MaintenanceSchedule schedule;
    private final EventPublisher events;
    private final JobsProperties properties;
    private final Clock clock;

    VaultMaintenanceWork(
            VaultDirectory vaults,
            VaultRepositories repositories,
            RecoveryPointStore points,
            MaintenanceEngine engine,
            MaintenanceSchedule schedule,
            EventPublisher events,
            JobsProperties properties,
            Clock clock) {
        this.vaults = vaults;
        this.repositories = repositories;
        this.points = points;
        this.engine = engine;
        this.schedule = schedule;
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
        boolean readData = schedule.readDataDue(vault.id(), started, properties.maintenanceReadData());
        MaintenanceEngine.Outcome outcome;
        try {
            outcome = engine.run(repository, toForget, readData, context::checkpoint);
        } catch (LockedException e) {
            throw new JobFailure(
                    "vault-busy",
                    "Vault " + vault.id() + " stayed locked for " + properties.maintenanceLockWait() + ": "
                            + e.getMessage(),
                    e);
        }
        if (outcome.readEveryPack()) {
            schedule.readDataDone(vault.id(), started);
        }
        var prune = outcome.prune();
        events.publish(
                new VaultPruned(vault.id(), job.id(), outcome.storedBytes(), prune.bytesFreed(), outcome.damage()),
                job.id());
        log.info(
                "Vault {} maintained in {}: {} recovery points forgotten, {} bytes freed ({} packs deleted, {}"
                        + " repacked), {} packs checked{}, {} damaged objects",
                vault.id(),
                java.time.Duration.between(started, clock.instant()),
                outcome.recoveryPointsForgotten(),
                prune.bytesFreed(),
                prune.packsDeleted(),
                prune.packsRepacked(),
                outcome.checkedPacks(),
                outcome.readEveryPack() ? " (every pack read)" : "",
                outcome.damage().size());
        return JobResult.maintenance(
                prune.bytesFreed(),
                prune.packsDeleted(),
                prune.packsRepacked(),
                outcome.recoveryPointsForgotten(),
                outcome.checkedPacks(),
                outcome.damage());
    }
}
