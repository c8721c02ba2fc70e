package io.cloudconnector.scalez.model;

import java.time.Instant;

/**
 * A compliance-mode lock cannot be shortened or lifted by anyone, bypass or not, until {@link #lockedUntil()}
 * (S3's compliance mode; the engine refuses before asking S3, since the emulator does not).
 */
public class ComplianceLockException extends RecoveryPointLockedException {

    public ComplianceLockException(String recoveryPointId, Instant lockedUntil) {
        super(
                recoveryPointId,
                lockedUntil,
                false,
                "Recovery point " + recoveryPointId + " is locked in compliance mode until " + lockedUntil
                        + ": nobody can shorten or lift that lock");
    }
}
