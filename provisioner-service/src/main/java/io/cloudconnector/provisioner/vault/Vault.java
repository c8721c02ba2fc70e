package io.cloudconnector.provisioner.vault;

/** A vault as the provisioner knows it from {@code VaultCreated}: where its repository is and how it is keyed. */
public record Vault(String id, String region, String bucketName, String kmsKeyArn, boolean deleted) {}
