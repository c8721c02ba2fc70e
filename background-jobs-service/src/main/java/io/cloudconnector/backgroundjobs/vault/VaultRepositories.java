package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.serve.ScalezServers;
import io.cloudconnector.vaultaccess.VaultAccess;
import org.springframework.stereotype.Component;

/**
 * Opens a vault's ScaleZ repository as every service does ({@link VaultAccess}: its bucket, its KMS key, the locks
 * in its DynamoDB table), with this service's worker count. Backups write through the
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
        if (properties.scalezServer()) {
            // Looked up at each backup: none registered, none answering or an unreadable table = writes by itself.
            options = options.withRemoteWriter(ScalezServers.registeredIn(regional.dynamo(), tableName(vault)));
        }
        return new VaultAccess(resources(vault), vault.kmsKeyArn(), regional.s3(), regional.kms(), regional.dynamo())
                .open(options);
    }

    /**
     * The repository of {@code vault} for its maintenance: written by itself (never through a ScaleZ server),
     * waiting up to {@code connector.jobs.maintenance-lock-wait} for the exclusive lock while backups hold shared
     * ones, its own locks lapsing {@code maintenance-lock-ttl} after a worker died holding them.
     */
    public Repository openForMaintenance(Vault vault) {
        var regional = clients.in(vault.region());
        var options = RepositoryOptions.defaults()
                .withWorkers(properties.workers())
                .withLockWait(properties.maintenanceLockWait())
                .withLockTtl(properties.maintenanceLockTtl());
        return new VaultAccess(resources(vault), vault.kmsKeyArn(), regional.s3(), regional.kms(), regional.dynamo())
                .open(options);
    }

    private VaultResources resources(Vault vault) {
        return new VaultResources(connectorId, vault.id());
    }

    /**
     * The vault's DynamoDB table (its locks, leases and ScaleZ server registrations), as the vault stack names it
     * (its output {@code TableName}, the worker's {@code CONNECTOR_VAULT_TABLE}).
     */
    public String tableName(Vault vault) {
        return resources(vault).table();
    }
}
