package io.cloudconnector.backgroundjobs.vault;

/**
 * A vault as this service knows it from the catalog's events: where its bucket and key are, and whether it
 * still takes backups.
 */
public record Vault(String id, String name, String region, String bucketName, String kmsKeyArn, boolean active) {}
