package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.catalog.vault.Vault;
import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.catalog.vault.VaultStatus;
import io.cloudconnector.catalog.vault.VaultStorage;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.model.ComplianceLockException;
import io.cloudconnector.scalez.model.RecoveryPointLockedException;
import io.cloudconnector.scalez.repo.RecoveryPointLock;
import io.cloudconnector.scalez.repo.Repository;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A recovery point's Object Lock, read and changed through the engine's own records in the vault's repository:
 * legal hold on or off ({@code Repository.legalHold}), lock end moved ({@code Repository.changeLock}; shortening or
 * lifting a governance lock uses S3's {@code BypassGovernanceRetention}, a compliance lock cannot be shortened).
 */
@Service
class RecoveryPointLocks {

    private static final Logger log = LoggerFactory.getLogger(RecoveryPointLocks.class);

    /**
     * A point's lock as the API shows it.
     *
     * @param lockedUntil when its retention ends (null: it has none)
     * @param mode {@code governance} or {@code compliance} (null: no lock)
     */
    record LockState(
            String recoveryPointId,
            @Nullable Instant lockedUntil,
            @Nullable String mode,
            boolean legalHold) {

        static LockState of(RecoveryPointLock lock) {
            return new LockState(
                    lock.recoveryPointId(),
                    lock.lockedUntil(),
                    lock.mode() == null ? null : lock.mode().name().toLowerCase(java.util.Locale.ROOT),
                    lock.legalHold());
        }
    }

    private final RecoveryPointService points;
    private final VaultRepository vaults;
    private final VaultStorage storage;

    RecoveryPointLocks(RecoveryPointService points, VaultRepository vaults, VaultStorage storage) {
        this.points = points;
        this.vaults = vaults;
        this.storage = storage;
    }

    /** Puts ({@code on}) or removes the legal hold on every object the point needs. Idempotent. */
    LockState legalHold(String id, boolean on) {
        var repository = repositoryOf(id);
        try {
            repository.legalHold(id, on);
            return LockState.of(repository.lockState(id));
        } catch (RecoveryPointLockedException e) {
            throw locked(e);
        } catch (ScalezException e) {
            throw new ConflictException("legalHold", "Recovery point " + id + " cannot be held: " + e.getMessage());
        }
    }

    /**
     * Moves the point's lock end to {@code until}: extending always; shortening or lifting only in governance mode
     * (with the bypass), never in compliance mode (409).
     */
    LockState changeLock(String id, Instant until) {
        var repository = repositoryOf(id);
        try {
            return LockState.of(repository.changeLock(id, until, true));
        } catch (ComplianceLockException e) {
            throw new ConflictException(
                    "until",
                    "Recovery point " + id + " is locked in compliance mode until " + e.lockedUntil()
                            + ": nobody can shorten or lift that lock (lockedUntil)");
        } catch (RecoveryPointLockedException e) {
            throw locked(e);
        } catch (ScalezException e) {
            throw new ConflictException("until", "The lock of " + id + " cannot be changed: " + e.getMessage());
        }
    }

    /** The point's lock from the engine's records, when its vault's repository can be read (empty otherwise). */
    Optional<LockState> state(RecoveryPoint point) {
        if (point.state() == RecoveryPointState.DELETED) {
            return Optional.empty();
        }
        var vault = vaults.find(point.vaultId()).orElse(null);
        if (vault == null || vault.objectLock() == null || vault.status() != VaultStatus.ACTIVE) {
            return Optional.empty();
        }
        try {
            return Optional.of(LockState.of(storage.open(vault).lockState(point.id())));
        } catch (RuntimeException e) {
            log.debug("No lock state for {}: {}", point.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The 409 a lock that has not ended answers, naming {@code lockedUntil}. */
    static ConflictException locked(RecoveryPointLockedException e) {
        return new ConflictException(
                "lockedUntil",
                "Recovery point " + e.recoveryPointId() + " is locked"
                        + (e.lockedUntil() == null ? "" : " until " + e.lockedUntil())
                        + (e.legalHold() ? " and under legal hold" : "")
                        + " (lockedUntil)");
    }

    private Repository repositoryOf(String id) {
        var point = points.get(id);
        if (point.state() == RecoveryPointState.DELETED) {
            throw new ConflictException("state", "Recovery point " + id + " is deleted");
        }
        Vault vault = vaults.find(point.vaultId())
                .filter(v -> v.status() == VaultStatus.ACTIVE)
                .orElseThrow(() -> new ConflictException(
                        "vaultId", "The vault of recovery point " + id + " (" + point.vaultId() + ") is not active"));
        return storage.open(vault);
    }
}
