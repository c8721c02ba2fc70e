package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** The kinds of asset the connector protects. */
public enum AssetType {
    EC2,
    EBS;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
