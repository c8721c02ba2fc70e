package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a job does. */
public enum JobKind {
    EBS_BACKUP,
    EC2_BACKUP,
    EBS_RESTORE,
    EC2_RESTORE,
    FILES_RESTORE,
    RESTORE_TEST,
    SCAN,
    PRUNE,
    INTEGRITY_CHECK,
    VAULT_CREATE,
    VAULT_MAINTENANCE,
    DISCOVERY,
    SIGNATURES_UPDATE;

    /** The lower-case, dashed name used in JSON and in the API, e.g. {@code ebs-backup}. */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
