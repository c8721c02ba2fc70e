package io.cloudconnector.common.event;

/** Creating a vault failed and what was created for it was rolled back. */
public record VaultFailed(String vaultId, String name, String reason) implements ConnectorEvent {}
