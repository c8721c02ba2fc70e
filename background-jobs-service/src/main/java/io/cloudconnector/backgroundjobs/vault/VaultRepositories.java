package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import org.springframework.stereotype.Component;

/**
 * Opens a vault's ScaleZ repository: its bucket (the whole bucket is the repository) and its KMS key, used with
 * the encryption context {@code {vault, repository}} the vault's key policy requires.
 */
@Component
public class VaultRepositories {

    private final AwsClients clients;
    private final JobsProperties properties;

    VaultRepositories(AwsClients clients, JobsProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** The repository of {@code vault}; opening proves that the key unwraps. */
    public Repository open(Vault vault) {
        var regional = clients.in(vault.region());
        return Repository.open(new S3BlobStore(regional.s3(), vault.bucketName(), ""),
                new KeyCredential.KmsKey(regional.kms(), vault.kmsKeyArn(), vault.id()),
                RepositoryOptions.defaults().withWorkers(properties.workers()));
    }
}
