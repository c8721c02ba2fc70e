package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;

/** S3 Object Lock on a vault's bucket: every object is retained {@code days} days in {@code mode}. */
public record ObjectLock(
        @NotNull Mode mode, @Min(1) @Max(36500) int days) {

    /** Governance can be lifted by a privileged principal; compliance by nobody. */
    public enum Mode {
        GOVERNANCE,
        COMPLIANCE;

        @JsonValue
        String wireName() {
            return WireNames.of(this);
        }
    }

    /** Until when something written at {@code createdAt} is held. */
    public Instant heldUntil(Instant createdAt) {
        return createdAt.plus(Duration.ofDays(days));
    }
}
