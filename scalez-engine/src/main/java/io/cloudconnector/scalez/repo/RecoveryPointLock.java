package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.blob.LockMode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A recovery point's Object Lock state, from the engine's own records: when its lock ends (null: it has none, e.g.
 * written into a store without Object Lock or before the engine recorded locks), the mode, whether it is under
 * legal hold, and how many object versions it records (0 for a point without a record).
 */
public record RecoveryPointLock(
        String recoveryPointId,
        @Nullable Instant lockedUntil,
        @Nullable LockMode mode,
        boolean legalHold,
        int recordedObjects) {

    /** Whether forgetting it is refused at {@code now}. */
    public boolean isLockedAt(Instant now) {
        return legalHold || (lockedUntil != null && lockedUntil.isAfter(now));
    }
}
