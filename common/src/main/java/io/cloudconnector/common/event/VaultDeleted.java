package io.cloudconnector.common.event;

/** An empty vault and its resources were deleted. */
public record VaultDeleted(String vaultId) implements ConnectorEvent {}
