package io.cloudconnector.inventory.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inventory's settings ({@code inventory.*}).
 *
 * @param resyncInterval how often each replica considers a full resync; one replica per interval runs it
 * @param resyncInitialDelay how long after start-up the first resync is considered
 * @param protectionWindow an asset is {@code protected} while its newest recovery point is younger than this
 * @param describeLag how far an EC2 describe result may lag behind EC2 itself (the EC2 API is eventually
 *     consistent): a describe answer counts as an observation made this long before the call
 * @param pageSize {@code MaxResults} of DescribeInstances / DescribeVolumes pages (5-500)
 * @param concurrency assets written in parallel during a discovery
 * @param maintenanceInterval how often unpublished changes are re-published and abandoned discovery jobs failed
 * @param accountId the AWS account in asset ids; when absent, STS GetCallerIdentity says
 */
@ConfigurationProperties("inventory")
public record InventoryProperties(
        @DefaultValue("15m") Duration resyncInterval,
        @DefaultValue("1m") Duration resyncInitialDelay,
        @DefaultValue("24h") Duration protectionWindow,
        @DefaultValue("5s") Duration describeLag,
        @DefaultValue("500") int pageSize,
        @DefaultValue("8") int concurrency,
        @DefaultValue("1m") Duration maintenanceInterval,
        @Nullable String accountId) {

    public InventoryProperties {
        requirePositive("inventory.resync-interval", resyncInterval);
        requirePositive("inventory.protection-window", protectionWindow);
        requirePositive("inventory.maintenance-interval", maintenanceInterval);
        if (resyncInitialDelay.isNegative() || describeLag.isNegative()) {
            throw new IllegalArgumentException(
                    "inventory.resync-initial-delay and inventory.describe-lag must not be negative");
        }
        // The EC2 API refuses MaxResults outside 5..1000 (instances) and 5..500 (volumes).
        if (pageSize < 5 || pageSize > 500) {
            throw new IllegalArgumentException("inventory.page-size must be between 5 and 500, was " + pageSize);
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("inventory.concurrency must be between 1 and 64, was " + concurrency);
        }
        if (accountId != null && !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("inventory.account-id must be 12 digits, was " + accountId);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
