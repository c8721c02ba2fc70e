package io.cloudconnector.provisioner.server;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** What a ScaleZ server runs on. */
public enum CapacityType {
    FARGATE_SPOT,
    FARGATE,
    EC2_SPOT,
    EC2_ON_DEMAND,
    LOCAL;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
