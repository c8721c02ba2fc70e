package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an asset changed. */
public enum AssetChange {
    CREATED,
    UPDATED,
    DELETED;

    /** The lower-case name used in JSON. */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
