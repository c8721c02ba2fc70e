package io.cloudconnector.scalez.blob;

import java.time.Duration;

/** A bucket's default Object Lock retention: every new object version is retained {@code period} from its write. */
public record ObjectLockDefaults(LockMode mode, Duration period) {

    public ObjectLockDefaults {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("An Object Lock period must be positive: " + period);
        }
    }
}
