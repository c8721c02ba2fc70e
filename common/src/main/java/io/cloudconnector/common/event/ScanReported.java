package io.cloudconnector.common.event;

import java.util.Map;

/**
 * A scanner worker (an AWS Batch job, which may not write the integrity table) finished a recovery-point
 * scan: the integrity service stores {@code report} under {@code reportId}, then announces the verdict with
 * {@link RecoveryPointScanned} and ends the job. {@code report} is the report's JSON body, bounded by the
 * worker to fit an EventBridge entry.
 */
public record ScanReported(
        String jobId,
        String reportId,
        String recoveryPointId,
        String vaultId,
        String assetId,
        ScanVerdict verdict,
        Map<String, Object> report)
        implements ConnectorEvent {

    public ScanReported {
        // Not Map.copyOf: a JSON body may hold nulls.
        report = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(report));
    }
}
