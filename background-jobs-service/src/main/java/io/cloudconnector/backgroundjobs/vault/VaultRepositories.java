package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.lock.DynamoDbLocks;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.serve.ScalezServers;
import org.springframework.stereotype.Component;

/**
 * Opens a vault's ScaleZ repository: its bucket (the whole bucket is the repository) and its KMS key, used with
 * the encryption context {@code {vault, repository}} the vault's key policy requires. Backups write through the
 * vault's ScaleZ server when the provisioner registered a running one in the vault's table (items
 * {@code pk = scalez-server}), and by themselves otherwise ({@code connector.jobs.scalez-server}, default on).
 */
@Component
public class VaultRepositories {

    private final AwsClients clients;
    private final JobsProperties properties;
    private final String connectorId;

    VaultRepositories(AwsClients clients, JobsProperties properties, ConnectorProperties connector) {
        this.clients = clients;
        this.properties = properties;
        this.connectorId = connector.id();
    }

    /** The repository of {@code vault}; opening proves that the key unwraps. */
    public Repository open(Vault vault) {
        var regional = clients.in(vault.region());
        var options = RepositoryOptions.defaults().withWorkers(properties.workers());
        // Locked in the vault's table, as its ScaleZ server and every other writer of the repository lock it.
        options = options.withLocks(new DynamoDbLocks(regional.dynamo(), tableName(vault), options.clock(),
                options.lockTtl(), options.lockWait()));
        if (properties.scalezServer()) {
            // Looked up at each backup: none registered, none answering or an unreadable table = writes by itself.
            options = options.withRemoteWriter(ScalezServers.registeredIn(regional.dynamo(), tableName(vault)));
        }
        return Repository.open(new S3BlobStore(regional.s3(), vault.bucketName(), ""),
                new KeyCredential.KmsKey(regional.kms(), vault.kmsKeyArn(), vault.id()), options);
    }

    /**
     * The vault's DynamoDB table (its locks, leases and ScaleZ server registrations): {@code <connectorId>-<vaultId>},
     * as the vault stack names it (its output {@code TableName}, the worker's {@code CONNECTOR_VAULT_TABLE}).
     */
    public String tableName(Vault vault) {
        return connectorId + "-" + vault.id();
    }
}
