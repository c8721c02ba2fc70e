package io.cloudconnector.common.event;

/** A recovery point fell out of its vault's retention policy and is due for deletion. */
public record RecoveryPointExpired(String recoveryPointId, String vaultId, String assetId) implements ConnectorEvent {}
