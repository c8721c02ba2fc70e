package io.cloudconnector.provisioner.server;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** Where a ScaleZ server is in its life. */
public enum ServerState {
    STARTING,
    RUNNING,
    DRAINING,
    STOPPED;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
