package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The outcome of a recovery-point threat scan. {@code UNKNOWN}: nothing was found, but the scan cannot vouch for the
 * point because its ClamAV signatures were stale (or only the built-in test set) — never clean.
 */
public enum ScanVerdict {
    CLEAN,
    INFECTED,
    SUSPICIOUS,
    UNREADABLE,
    UNKNOWN;

    /** The lower-case name used in JSON. */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
