package io.cloudconnector.provisioner.vault;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the vault's stack ({@code infra/cloudformation/vault.yaml}) gives its ScaleZ servers: the ECS cluster and
 * task definition, the subnets and security group, whether tasks get a public IP, and the vault's DynamoDB table
 * (leases and server registrations). {@code cluster} is null for a vault whose stack has no ScaleZ cluster.
 */
public record VaultCompute(@Nullable String cluster, @Nullable String taskDefinition, List<String> subnets,
        @Nullable String securityGroup, String assignPublicIp, String tableName) {
}
