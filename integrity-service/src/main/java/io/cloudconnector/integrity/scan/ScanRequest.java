package io.cloudconnector.integrity.scan;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** {@code POST /v1/scans}: the recovery point to scan. */
record ScanRequest(
        @NotBlank @Pattern(regexp = "rp-[0-9A-HJKMNP-TV-Z]{26}", message = "must be a recovery-point id, rp-<ULID>")
        String recoveryPointId) {}
