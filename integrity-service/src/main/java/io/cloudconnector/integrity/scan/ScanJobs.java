package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.idempotency.Claim;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.integrity.report.ReportRepository;
import io.cloudconnector.integrity.vault.VaultRecord;
import io.cloudconnector.integrity.vault.VaultRepository;
import java.net.URI;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Creates scan jobs (from the API or automatically) and cancels them. Everything that can refuse a request
 * is checked before anything is written; with an idempotency key, a repeated request gets the first answer.
 */
@Service
class ScanJobs {

    /** The operation an {@code Idempotency-Key} of {@code POST /v1/scans} (and of automatic scans) belongs to. */
    static final String OPERATION = "scan";

    private final ScanStore store;
    private final VaultRepository vaults;
    private final ScanDispatcher dispatcher;
    private final EventPublisher events;
    private final Clock clock;
    private final Idempotency idempotency;

    ScanJobs(
            ScanStore store,
            VaultRepository vaults,
            ScanDispatcher dispatcher,
            EventPublisher events,
            Clock clock,
            Idempotency idempotency) {
        this.idempotency = idempotency;
        this.store = store;
        this.vaults = vaults;
        this.dispatcher = dispatcher;
        this.events = events;
        this.clock = clock;
    }

    /** A scan asked for through the API: 202 with the job; refused with 400/409 problems naming the field. */
    ResponseEntity<ScanAccepted> request(ScanRequest request, @Nullable String idempotencyKey) {
        return idempotency.respond(OPERATION, idempotencyKey, request, ScanAccepted.class, claim -> {
            String recoveryPointId = request.recoveryPointId();
            var rp = store.recoveryPoint(recoveryPointId)
                    .orElseThrow(() -> new InvalidInputException(
                            "recoveryPointId",
                            "no recovery point " + recoveryPointId + " is known to the integrity service"));
            var vault = vaults.find(rp.vaultId())
                    .filter(v -> !v.deleted())
                    .orElseThrow(() -> new ConflictException(
                            "recoveryPointId",
                            "the vault " + rp.vaultId() + " of " + recoveryPointId + " is deleted or unknown"));
            return start(rp, vault, claim);
        });
    }

    /** The automatic scan of a new recovery point; one job per recovery point however often the event comes. */
    void automatic(RecoveryPointRecord rp, VaultRecord vault) {
        idempotency.respond(
                OPERATION,
                "auto-scan:" + rp.id(),
                new ScanRequest(rp.id()),
                ScanAccepted.class,
                claim -> start(rp, vault, claim));
    }

    private ResponseEntity<ScanAccepted> start(RecoveryPointRecord rp, VaultRecord vault, Claim claim) {
        var job = new ScanJob(
                Ids.job(),
                rp.id(),
                rp.vaultId(),
                rp.assetId(),
                store.previous(rp).orElse(null),
                ReportRepository.newId(),
                ScanJob.State.QUEUED,
                dispatcher instanceof BatchScanDispatcher ? ScanJob.Mode.BATCH : ScanJob.Mode.LOCAL,
                null,
                clock.instant());
        var answer = ResponseEntity.accepted()
                .location(URI.create("/v1/jobs/" + job.id()))
                .body(new ScanAccepted(job.id()));
        store.createJob(job, claim, answer);
        events.publish(
                new JobCreated(job.id(), JobKind.SCAN, job.vaultId(), job.assetId(), job.recoveryPointId()), job.id());
        dispatcher.dispatch(job, vault);
        return answer;
    }

    /** A cancel request for a job of ours (others' jobs are ignored); idempotent. */
    void cancel(String jobId) {
        store.job(jobId).filter(job -> !job.state().isFinal()).ifPresent(dispatcher::cancel);
    }
}
