package io.cloudconnector.jobstatus.job;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** Where a job is: queued, provisioning, running, then one final state. */
public enum JobState {
    QUEUED,
    PROVISIONING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    @JsonValue
    String wireName() {
        return WireNames.of(this);
    }

    /** Succeeded, failed and cancelled are final: no event changes them again. */
    boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
