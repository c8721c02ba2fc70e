package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** Whether a vault's subnets route to an internet gateway (public) or not (private); never a mix. */
public enum SubnetKind {
    PRIVATE,
    PUBLIC;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
