package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** Where a vault is in its life: creating → active → deleting → deleted, or creating → failed. */
public enum VaultStatus {
    CREATING,
    ACTIVE,
    FAILED,
    DELETING,
    DELETED;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
