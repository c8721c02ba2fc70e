package io.cloudconnector.catalog.recoverypoint;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.event.WireNames;

/** What the last threat scan of a recovery point found; {@code unscanned} until one finished. */
public enum ScanStatus {
    UNSCANNED,
    CLEAN,
    INFECTED,
    SUSPICIOUS,
    UNREADABLE,
    UNKNOWN;

    static ScanStatus of(ScanVerdict verdict) {
        return valueOf(verdict.name());
    }

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
