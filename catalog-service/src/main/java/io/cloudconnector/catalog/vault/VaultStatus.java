package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** Where a vault is in its life. */
public enum VaultStatus {
    CREATING,
    ACTIVE,
    FAILED,
    DELETING;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
