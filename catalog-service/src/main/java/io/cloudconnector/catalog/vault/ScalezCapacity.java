package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/**
 * What a vault's ScaleZ servers run on: Fargate Spot tasks (the default), or EC2 spot instances. The
 * constant's name is the value of the vault stack's {@code ScalezCapacity} parameter.
 */
public enum ScalezCapacity {
    FARGATE_SPOT,
    EC2_SPOT;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
