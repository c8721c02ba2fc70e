package io.cloudconnector.scalez.model;

import io.cloudconnector.scalez.ScalezException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A recovery point cannot be forgotten (or its lock shortened) because Object Lock still protects it: its lock ends
 * at {@link #lockedUntil()}, or it is under legal hold ({@link #legalHold()}, and then {@code lockedUntil} may be
 * null or past). A service answers 409 naming {@code lockedUntil}.
 */
public class RecoveryPointLockedException extends ScalezException {

    private final String recoveryPointId;
    private final @Nullable Instant lockedUntil;
    private final boolean legalHold;

    public RecoveryPointLockedException(
            String recoveryPointId, @Nullable Instant lockedUntil, boolean legalHold, String message) {
        super(message);
        this.recoveryPointId = recoveryPointId;
        this.lockedUntil = lockedUntil;
        this.legalHold = legalHold;
    }

    public String recoveryPointId() {
        return recoveryPointId;
    }

    /** When the point's retention ends (null only for a held point that has none). */
    public @Nullable Instant lockedUntil() {
        return lockedUntil;
    }

    /** Whether a legal hold is what keeps it. */
    public boolean legalHold() {
        return legalHold;
    }
}
