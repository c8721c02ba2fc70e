package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A vault: its own S3 bucket, KMS key and spot compute in the customer's VPC, holding one ScaleZ
 * repository. {@code statusReason} says why a vault failed; counters follow the recovery points;
 * {@code scalezCapacity} says whether its ScaleZ servers run on Fargate Spot or on EC2 spot instances;
 * {@code health} and {@code damage} are what its last maintenance check found (at {@code lastMaintainedAt}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Vault(
        String id,
        String name,
        String region,
        VaultStatus status,
        @Nullable String statusReason,
        String vpcId,
        List<String> subnetIds,
        SubnetKind subnetKind,
        @Nullable ObjectLock objectLock,
        ScalezCapacity scalezCapacity,
        @Nullable String bucketName,
        @Nullable String kmsKeyArn,
        long recoveryPointCount,
        long storedBytes,
        @Nullable RetentionSettings retention,
        String creationJobId,
        Instant createdAt,
        Instant updatedAt,
        VaultHealth health,
        List<String> damage,
        @Nullable Instant lastMaintainedAt) {

    public Vault {
        subnetIds = List.copyOf(subnetIds);
        damage = List.copyOf(damage);
        Objects.requireNonNull(scalezCapacity, "scalezCapacity");
    }

    /** A vault no maintenance has checked yet. */
    public Vault(
            String id,
            String name,
            String region,
            VaultStatus status,
            @Nullable String statusReason,
            String vpcId,
            List<String> subnetIds,
            SubnetKind subnetKind,
            @Nullable ObjectLock objectLock,
            ScalezCapacity scalezCapacity,
            @Nullable String bucketName,
            @Nullable String kmsKeyArn,
            long recoveryPointCount,
            long storedBytes,
            @Nullable RetentionSettings retention,
            String creationJobId,
            Instant createdAt,
            Instant updatedAt) {
        this(
                id,
                name,
                region,
                status,
                statusReason,
                vpcId,
                subnetIds,
                subnetKind,
                objectLock,
                scalezCapacity,
                bucketName,
                kmsKeyArn,
                recoveryPointCount,
                storedBytes,
                retention,
                creationJobId,
                createdAt,
                updatedAt,
                VaultHealth.UNCHECKED,
                List.of(),
                null);
    }
}
