package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of a recovery-point threat scan. */
public enum ScanVerdict {
    CLEAN,
    INFECTED,
    SUSPICIOUS,
    UNREADABLE;

    /** The lower-case name used in JSON. */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
