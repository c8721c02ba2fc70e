package io.cloudconnector.backgroundjobs.restoretest;

import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.scalez.ScalezException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Starting a restore test: 404 for a recovery point this connector does not know, 409 for one that is expired,
 * deleted, in a deleted vault, or not (or no longer) complete in its vault: still being written, or being deleted.
 */
@Service
public class RestoreTestService {

    /** The listing restore tests are stored under. */
    static final String LIST = "RESTORE_TEST";

    private static final String SCOPE = "POST /v1/restore-tests";
    private static final String POLICY_SCOPE = "policy restore test";

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final JobAdmission admission;
    private final Clock clock;

    RestoreTestService(
            RecoveryPointStore points,
            VaultDirectory vaults,
            VaultRepositories repositories,
            JobAdmission admission,
            Clock clock) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.admission = admission;
        this.clock = clock;
    }

    ResponseEntity<JobAdmission.JobAccepted> start(CreateRestoreTestRequest request, @Nullable String idempotencyKey) {
        var compared = new CreateRestoreTestRequest(request.recoveryPointId().strip());
        return admission.admit(SCOPE, idempotencyKey, compared, LIST, () -> job(compared.recoveryPointId(), Map.of()));
    }

    /**
     * Starts a restore test for a run of a protection policy, with the checks of {@code POST /v1/restore-tests} (a
     * refusal is the same exception). Idempotent per run and point: the same run asking again gets the same job.
     */
    public JobAdmission.JobAccepted startForPolicy(String recoveryPointId, String policyId, String runId) {
        var parameters = Map.of(JobRecord.POLICY_ID, policyId, JobRecord.RUN_ID, runId);
        var answer = admission.admit(
                POLICY_SCOPE,
                runId + ":" + recoveryPointId,
                Map.of("recoveryPointId", recoveryPointId, "parameters", parameters),
                LIST,
                () -> job(recoveryPointId, parameters));
        return Objects.requireNonNull(answer.getBody());
    }

    private JobRecord job(String id, Map<String, String> parameters) {
        var point = testablePoint(id);
        return JobRecord.queued(
                Ids.job(),
                JobKind.RESTORE_TEST,
                point.vaultId(),
                point.assetId(),
                point.id(),
                parameters,
                clock.instant());
    }

    private KnownRecoveryPoint testablePoint(String id) {
        if (!Ids.isValid(IdKind.RECOVERY_POINT, id)) {
            throw new NotFoundException("Recovery point", id);
        }
        var point = points.find(id).orElseThrow(() -> new NotFoundException("Recovery point", id));
        if (!point.available()) {
            throw new ConflictException(
                    "recoveryPointId",
                    "Recovery point " + id + " is " + point.status().wireName() + ": it cannot be restore-tested");
        }
        var vault = vaults.find(point.vaultId()).filter(v -> v.active()).orElse(null);
        if (vault == null) {
            throw new ConflictException(
                    "recoveryPointId", "The vault of " + id + ", " + point.vaultId() + ", is deleted");
        }
        try {
            repositories.open(vault).recoveryPoint(id);
        } catch (ScalezException e) {
            throw new ConflictException(
                    "recoveryPointId",
                    "Recovery point " + id + " is not complete in its vault (still being written, or being deleted)");
        }
        return point;
    }
}
