package io.cloudconnector.common.event;

/**
 * A prune of a vault's repository finished: unreferenced data was deleted or repacked, and
 * {@code storedBytes} is what the vault's repository now holds.
 */
public record VaultPruned(String vaultId, String jobId, long storedBytes, long bytesFreed) implements ConnectorEvent {}
