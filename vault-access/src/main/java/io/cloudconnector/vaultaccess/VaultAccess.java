package io.cloudconnector.vaultaccess;

import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.repo.lock.DynamoDbLocks;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What opens a vault's ScaleZ repository: the vault's resource names, its KMS key and the clients of its region.
 * The repository is the whole of the vault's bucket; its master keys are wrapped by the vault's key under the
 * encryption context {@code {vault, repository}} the key policy requires; and it is always locked with leases in
 * the vault's DynamoDB table, as the vault's ScaleZ server and every other writer lock it — a process that locked
 * with lock objects in the bucket instead would not exclude them (a prune could delete what a backup writes).
 */
public record VaultAccess(VaultResources vault, String keyArn, S3Client s3, KmsClient kms, DynamoDbClient dynamo) {

    /** The repository's blob store: the vault's bucket, from its root. */
    public BlobStore store() {
        return new S3BlobStore(s3, vault.bucket(), "");
    }

    /** The vault's KMS key under the vault's encryption context. */
    public KeyCredential credential() {
        return new KeyCredential.KmsKey(kms, keyArn, vault.vaultId());
    }

    /** {@code options} with the vault's DynamoDB locks (their clock, TTL and wait). */
    public RepositoryOptions locked(RepositoryOptions options) {
        return options.withLocks(
                new DynamoDbLocks(dynamo, vault.table(), options.clock(), options.lockTtl(), options.lockWait()));
    }

    /** Opens the repository with default options; opening proves that the key unwraps. */
    public Repository open() {
        return open(RepositoryOptions.defaults());
    }

    /** Opens the repository with {@code options} and the vault's locks. */
    public Repository open(RepositoryOptions options) {
        return Repository.open(store(), credential(), locked(options));
    }

    /**
     * Initialises the repository; if an earlier attempt already did, opens it instead (which proves the key
     * unwraps), so that a retried vault creation ends in the same state.
     */
    public Repository initialise() {
        var store = store();
        if (store.stat("config").isPresent()) {
            return open();
        }
        // An attempt that died between writing the key file and the config left only the key file.
        store.list("keys/").forEach(info -> store.delete(info.key()));
        return Repository.init(
                store, credential(), RepositorySettings.defaults(), locked(RepositoryOptions.defaults()));
    }
}
