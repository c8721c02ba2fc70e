package io.cloudconnector.backgroundjobs.recoverypoint;

import io.cloudconnector.backgroundjobs.job.JobFailure;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import java.util.Objects;

/**
 * The recovery point a restore, files restore or restore test reads, and its vault, as the job starts: the point may
 * have expired or been deleted, or its vault deleted, since the job was admitted, and the job then fails with
 * {@code recovery-point-unavailable} or {@code vault-unavailable}.
 */
public record RestoreSource(KnownRecoveryPoint point, Vault vault) {

    /** The job's point and vault, both still usable; else the job fails, naming which. */
    public static RestoreSource of(JobRecord job, RecoveryPointStore points, VaultDirectory vaults) {
        var point = points.find(Objects.requireNonNull(job.recoveryPointId()))
                .filter(KnownRecoveryPoint::available)
                .orElseThrow(() -> new JobFailure(
                        "recovery-point-unavailable",
                        "Recovery point " + job.recoveryPointId() + " is expired, deleted or unknown"));
        var vault = vaults.find(point.vaultId())
                .filter(Vault::active)
                .orElseThrow(() -> new JobFailure("vault-unavailable", "Vault " + point.vaultId() + " is deleted"));
        return new RestoreSource(point, vault);
    }
}
