package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.event.ScanReported;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.integrity.vault.VaultRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the integrity inbox does with scan-related events. Every handler is idempotent. */
@Configuration(proxyBeanMethods = false)
class ScanEvents {

    /** Thrown to have the message redelivered later: the vault's {@code VaultCreated} has not arrived yet. */
    static final class VaultNotYetKnownException extends RuntimeException {
        VaultNotYetKnownException(String vaultId, String recoveryPointId) {
            super("Recovery point " + recoveryPointId + " is in vault " + vaultId
                    + ", which integrity does not know yet");
        }
    }

    /** Records the recovery point, then scans it if its vault says so. */
    @Bean
    EventHandler<RecoveryPointCreated> recoveryPointCreated(ScanStore store, VaultRepository vaults, ScanJobs jobs) {
        return EventHandler.of(RecoveryPointCreated.class, (envelope, event) -> {
            var vault = vaults.find(event.vaultId())
                    .orElseThrow(() -> new VaultNotYetKnownException(event.vaultId(), event.recoveryPointId()));
            var rp = new RecoveryPointRecord(
                    event.recoveryPointId(),
                    event.vaultId(),
                    event.assetId(),
                    event.parentRecoveryPointId(),
                    event.createdAt());
            store.saveRecoveryPoint(rp);
            // A vault with autoScan scans every new point; a protection policy with scan: true asks for its own.
            boolean requested = "true".equals(event.source().get(RecoveryPointLabels.SOURCE_SCAN_REQUESTED));
            if ((vault.autoScan() || requested) && !vault.deleted()) {
                jobs.automatic(rp, vault);
            }
        });
    }

    /** A Batch worker's report: stored, then announced. */
    @Bean
    EventHandler<ScanReported> scanReported(ScanStore store, ScanCompletion completion) {
        return EventHandler.of(
                ScanReported.class,
                (envelope, event) -> store.job(event.jobId())
                        .filter(job -> !job.state().isFinal())
                        .ifPresent(job -> completion.complete(job, event.verdict(), event.report())));
    }

    @Bean
    EventHandler<JobCancelRequested> jobCancelRequested(ScanJobs jobs) {
        return EventHandler.of(JobCancelRequested.class, (envelope, event) -> jobs.cancel(event.jobId()));
    }
}
