package io.cloudconnector.integrity.report;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** What a report is about. */
public enum ReportKind {
    ACCOUNT,
    SCAN;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }
}
