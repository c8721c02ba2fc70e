package io.cloudconnector.integrity.report;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** The overall result of a report: the worst of its findings. */
public enum Outcome {
    PASS,
    WARN,
    FAIL;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
