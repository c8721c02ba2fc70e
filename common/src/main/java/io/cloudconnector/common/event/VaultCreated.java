package io.cloudconnector.common.event;

/** A vault's resources exist and its ScaleZ repository is initialised; it accepts backups. */
public record VaultCreated(String vaultId, String name, String region, String bucketName, String kmsKeyArn)
        implements ConnectorEvent {}
