package io.cloudconnector.common.event;

/** A recovery point was deleted from its vault (by a tenant, or by prune after it expired). */
public record RecoveryPointDeleted(String recoveryPointId, String vaultId, String assetId, long storedBytesFreed)
        implements ConnectorEvent {}
