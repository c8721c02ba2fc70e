package io.cloudconnector.common.event;

/** A threat scan of a recovery point finished. */
public record RecoveryPointScanned(
        String recoveryPointId, String vaultId, String assetId, ScanVerdict verdict, String reportId)
        implements ConnectorEvent {}
