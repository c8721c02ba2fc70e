package io.cloudconnector.common.event;

/**
 * Someone asked for a vault's maintenance now ({@code POST /v1/vaults/{id}/maintenance}): the service that runs
 * background jobs starts a {@code vault-maintenance} job with the id the requester minted (a redelivery finds it
 * there already).
 */
public record VaultMaintenanceRequested(String vaultId, String jobId) implements ConnectorEvent {}
