package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a recovery point holds: one EBS volume, or an EC2 instance with its volumes. */
public enum RecoveryPointKind {
    EBS,
    EC2;

    /** The lower-case name used in JSON. */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
