package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.integrity.job.IdempotencyKeys;
import io.cloudconnector.integrity.report.ReportRepository;
import io.cloudconnector.integrity.vault.VaultRecord;
import io.cloudconnector.integrity.vault.VaultRepository;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Creates scan jobs (from the API or automatically) and cancels them. Everything that can refuse a request
 * is checked before anything is written; with an idempotency key, a repeated request gets the first job.
 */
@Service
class ScanJobs {

    private final ScanStore store;
    private final VaultRepository vaults;
    private final ScanDispatcher dispatcher;
    private final EventPublisher events;
    private final Clock clock;
    private final IdempotencyKeys keys;

    ScanJobs(ScanStore store, VaultRepository vaults, ScanDispatcher dispatcher, EventPublisher events, Clock clock,
            IdempotencyKeys keys) {
        this.keys = keys;
        this.store = store;
        this.vaults = vaults;
        this.dispatcher = dispatcher;
        this.events = events;
        this.clock = clock;
    }

    /** A scan asked for through the API; refused with 400/409 problems naming the field. */
    ScanAccepted request(String recoveryPointId, @Nullable String idempotencyKey) {
        var earlier = keys.earlier("scan", idempotencyKey, recoveryPointId);
        if (earlier.isPresent() && store.job(earlier.get()).isPresent()) {
            return new ScanAccepted(earlier.get());
        }
        var rp = store.recoveryPoint(recoveryPointId).orElseThrow(() -> new InvalidInputException("recoveryPointId",
                "no recovery point " + recoveryPointId + " is known to the integrity service"));
        var vault = vaults.find(rp.vaultId()).filter(v -> !v.deleted()).orElseThrow(() -> new ConflictException(
                "recoveryPointId", "the vault " + rp.vaultId() + " of " + recoveryPointId + " is deleted or unknown"));
        return new ScanAccepted(start(rp, vault, idempotencyKey));
    }

    /** The automatic scan of a new recovery point; one job per recovery point however often the event comes. */
    void automatic(RecoveryPointRecord rp, VaultRecord vault) {
        start(rp, vault, "auto-scan:" + rp.id());
    }

    private String start(RecoveryPointRecord rp, VaultRecord vault, @Nullable String idempotencyKey) {
        String jobId = Ids.job();
        if (idempotencyKey != null) {
            var earlier = keys.claim("scan", idempotencyKey, rp.id(), jobId);
            if (earlier.isPresent()) {
                jobId = earlier.get();
                if (store.job(jobId).isPresent()) {
                    return jobId;
                }
                // The first attempt claimed the key and died before creating its job: finish it.
            }
        }
        var job = new ScanJob(jobId, rp.id(), rp.vaultId(), rp.assetId(), store.previous(rp).orElse(null),
                ReportRepository.newId(), ScanJob.State.QUEUED,
                dispatcher instanceof BatchScanDispatcher ? ScanJob.Mode.BATCH : ScanJob.Mode.LOCAL, null,
                clock.instant());
        if (store.createJob(job)) {
            events.publish(new JobCreated(job.id(), JobKind.SCAN, job.vaultId(), job.assetId(), job.recoveryPointId()),
                    job.id());
            dispatcher.dispatch(job, vault);
        }
        return job.id();
    }

    /** A cancel request for a job of ours (others' jobs are ignored); idempotent. */
    void cancel(String jobId) {
        store.job(jobId).filter(job -> !job.state().isFinal()).ifPresent(dispatcher::cancel);
    }
}
