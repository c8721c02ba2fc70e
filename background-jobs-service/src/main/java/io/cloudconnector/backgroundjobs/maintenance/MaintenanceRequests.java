package io.cloudconnector.backgroundjobs.maintenance;

import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.VaultMaintenanceRequested;
import io.cloudconnector.common.id.Ids;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts {@code vault-maintenance} jobs: the one a tenant asked for (the catalog's {@link VaultMaintenanceRequested},
 * with the job id it answered; a redelivery finds the job and does nothing) and the daily one of every active vault
 * ({@link #startDue}, claimed per vault so replicas start one).
 */
@Component
class MaintenanceRequests {

    /** The listing maintenance jobs are kept under in this service's table. */
    static final String LIST = "MAINTENANCE";

    private static final Logger log = LoggerFactory.getLogger(MaintenanceRequests.class);

    private final JobAdmission admission;
    private final VaultDirectory vaults;
    private final io.cloudconnector.common.vault.VaultDirectory directory;
    private final MaintenanceSchedule schedule;
    private final JobsProperties properties;
    private final Clock clock;

    MaintenanceRequests(
            JobAdmission admission,
            VaultDirectory vaults,
            io.cloudconnector.common.vault.VaultDirectory directory,
            MaintenanceSchedule schedule,
            JobsProperties properties,
            Clock clock) {
        this.admission = admission;
        this.vaults = vaults;
        this.directory = directory;
        this.schedule = schedule;
        this.properties = properties;
        this.clock = clock;
    }

    /** Handles one {@code VaultMaintenanceRequested} (registered with the inbox in {@code MaintenanceEvents}). */
    void requested(EventEnvelope envelope, VaultMaintenanceRequested event) {
        // A vault this service has not heard of yet still gets its job: the run fails it as unavailable, so the
        // tenant's job id always ends somewhere.
        if (start(event.vaultId(), event.jobId())) {
            log.info("Maintenance of vault {} requested: job {}", event.vaultId(), event.jobId());
        }
    }

    /** Starts the scheduled maintenance of each active vault whose run is due. */
    void startDue() {
        var now = clock.instant();
        for (var vault : directory.active()) {
            if (vaults.find(vault.id()).isPresent()
                    && schedule.claimDue(vault.id(), now, properties.maintenanceInterval())) {
                String jobId = Ids.job();
                start(vault.id(), jobId);
                log.info("Scheduled maintenance of vault {}: job {}", vault.id(), jobId);
            }
        }
    }

    private boolean start(String vaultId, String jobId) {
        return admission.startRequested(
                JobRecord.queued(jobId, JobKind.VAULT_MAINTENANCE, vaultId, null, null, Map.of(), clock.instant()),
                LIST);
    }
}
