package io.cloudconnector.catalog.config;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the catalog manages vaults ({@code connector.vaults.*}).
 *
 * @param regions the regions vaults may live in
 * @param maxPerRegion how many vaults a region may hold
 * @param stackRoleArn the role CloudFormation acts as for vault stacks (the installer role); none locally
 * @param permissionsBoundaryArn the boundary the vault's roles live under ("" for none)
 * @param workerImage the worker image (background-jobs) the vault's Batch job definition runs
 * @param scannerImage the scanner image (integrity) the vault's Batch job definition runs
 * @param stackTimeout how long a vault stack may take to create or delete
 * @param provisioningThreads how many vaults are created or deleted at once
 * @param lease how long a replica owns a vault's creation or deletion before another may take over; longer
 *     than a stack may take, so that a slow stack is never worked on twice
 * @param reconcileInterval how often vaults stuck in creating/deleting are picked up again
 * @param retentionSweepInterval how often retention policies are applied
 * @param defaultObjectLockMode the Object Lock of a vault whose request does not mention one ({@code governance},
 *     {@code compliance}, or {@code none}); a request with {@code "objectLock": null} gets none
 * @param defaultObjectLockDays the default lock's retention in days
 * @param templateUrl the connector's own pinned, versioned copy of vault.yaml in S3 (connector.yaml's
 *     {@code VaultTemplateUrl}); vault stacks are created and updated from it, the only template the catalog's role
 *     may use; none locally (the template inside the service is sent inline)
 */
@ConfigurationProperties("connector.vaults")
public record CatalogProperties(
        @DefaultValue({"us-east-1", "us-east-2", "us-west-2", "eu-central-1", "ap-southeast-2"})
        List<String> regions,

        @DefaultValue("7") int maxPerRegion,
        @Nullable String stackRoleArn,
        @DefaultValue("") String permissionsBoundaryArn,

        @DefaultValue("cloud-connector/background-jobs-service:local")
        String workerImage,

        @DefaultValue("cloud-connector/integrity-service:local")
        String scannerImage,

        @DefaultValue("30m") Duration stackTimeout,
        @DefaultValue("2") int provisioningThreads,
        @DefaultValue("35m") Duration lease,
        @DefaultValue("60s") Duration reconcileInterval,
        @DefaultValue("1h") Duration retentionSweepInterval,
        @DefaultValue("governance") String defaultObjectLockMode,
        @DefaultValue("30") int defaultObjectLockDays,
        @Nullable String templateUrl) {

    public CatalogProperties {
        if (!List.of("governance", "compliance", "none").contains(defaultObjectLockMode)) {
            throw new IllegalArgumentException("connector.vaults.default-object-lock-mode must be governance, "
                    + "compliance or none, was " + defaultObjectLockMode);
        }
        if (defaultObjectLockDays < 1 || defaultObjectLockDays > 36500) {
            throw new IllegalArgumentException("connector.vaults.default-object-lock-days must be 1..36500");
        }
        if (lease.compareTo(stackTimeout) <= 0) {
            throw new IllegalArgumentException("connector.vaults.lease (" + lease + ") must be longer than "
                    + "connector.vaults.stack-timeout (" + stackTimeout + ")");
        }
    }
}
