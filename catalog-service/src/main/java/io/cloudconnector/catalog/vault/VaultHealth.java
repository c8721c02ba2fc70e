package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/**
 * What the vault's last maintenance check found: nothing yet ({@code unchecked}), no damage ({@code healthy}), or
 * damaged objects, which the vault names in {@code damage}.
 */
public enum VaultHealth {
    UNCHECKED,
    HEALTHY,
    DAMAGED;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
