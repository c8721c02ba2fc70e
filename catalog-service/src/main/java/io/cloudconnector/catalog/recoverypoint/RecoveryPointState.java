package io.cloudconnector.catalog.recoverypoint;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/**
 * Where a recovery point is: available; expired by its vault's retention (due for deletion); deleted
 * (its data is reclaimed by a later prune). Deleted ones are not listed.
 */
public enum RecoveryPointState {
    AVAILABLE,
    EXPIRED,
    DELETED;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
