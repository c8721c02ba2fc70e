package io.cloudconnector.provisioner.vault;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the vault's stack ({@code infra/cloudformation/vault.yaml}) gives its ScaleZ servers: the ECS cluster and
 * task definition, the subnets and security group, whether servers get a public IP, the vault's DynamoDB table
 * (leases and server registrations) and log group, and, for a vault whose servers run on EC2 ({@code
 * ScalezCapacity} {@code EC2_SPOT}), the launch template and the image its instances run. {@code cluster} is null
 * for a vault whose stack has no ScaleZ cluster.
 */
public record VaultCompute(
        @Nullable String cluster,
        @Nullable String taskDefinition,
        List<String> subnets,
        @Nullable String securityGroup,
        String assignPublicIp,
        String tableName,
        Capacity capacity,
        @Nullable String launchTemplateId,
        @Nullable String serverImage,
        @Nullable String logGroup) {

    /** What the vault's ScaleZ servers run on (the stack's {@code ScalezCapacity}). */
    public enum Capacity {
        /** ECS tasks on Fargate Spot, Fargate when spot has no capacity. */
        FARGATE_SPOT,
        /** EC2 spot instances from the vault's launch template, on-demand instances when spot has none. */
        EC2_SPOT
    }

    public VaultCompute {
        subnets = List.copyOf(subnets);
    }
}
