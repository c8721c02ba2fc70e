package io.cloudconnector.catalog.recoverypoint;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/**
 * Where a recovery point is: available; expired by its vault's retention (due for deletion, being forgotten);
 * deleted (forgotten in its vault, its data reclaimed by the vault's next maintenance). Deleted ones are not listed
 * but still answer by id.
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
