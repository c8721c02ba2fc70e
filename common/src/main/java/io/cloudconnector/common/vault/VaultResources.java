package io.cloudconnector.common.vault;

/**
 * The names of one vault's AWS resources, the one place they are spelled: the vault stack
 * ({@code infra/cloudformation/vault.yaml}) names most of them {@code <connectorId>-<vaultId>}, which is why every
 * service can find them from the two ids alone.
 */
public record VaultResources(String connectorId, String vaultId) {

    public VaultResources {
        if (connectorId.isBlank() || vaultId.isBlank()) {
            throw new IllegalArgumentException("A vault's resources need a connector id and a vault id, got '"
                    + connectorId + "' and '" + vaultId + "'");
        }
    }

    /** {@code <connectorId>-<vaultId>}: the name most of the vault's resources share. */
    public String name() {
        return connectorId + "-" + vaultId;
    }

    /** The vault's CloudFormation stack. */
    public String stackName() {
        return name();
    }

    /** The vault's S3 bucket: the whole bucket is its ScaleZ repository. */
    public String bucket() {
        return name();
    }

    /** The vault's DynamoDB table: its repository locks, leases and ScaleZ server registrations. */
    public String table() {
        return name();
    }

    /** The alias of the vault's KMS key. */
    public String keyAlias() {
        return "alias/cloudconnector/" + connectorId + "/" + vaultId;
    }

    /** The vault's AWS Batch compute environment. */
    public String computeEnvironment() {
        return name();
    }

    /** The vault's AWS Batch job queue. */
    public String jobQueue() {
        return name();
    }

    /** The Batch job definition of backup and restore workers. */
    public String workerJobDefinition() {
        return name() + "-worker";
    }

    /** The Batch job definition of recovery point scanners. */
    public String scannerJobDefinition() {
        return name() + "-scanner";
    }

    /** The ECS cluster of the vault's ScaleZ servers. */
    public String scalezCluster() {
        return name();
    }

    /** The vault's CloudWatch log group. */
    public String logGroup() {
        return "/cloudconnector/" + connectorId + "/" + vaultId;
    }
}
