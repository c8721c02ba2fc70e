package io.cloudconnector.backgroundjobs.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How backup, restore and vault-maintenance jobs run ({@code connector.jobs.*}).
 *
 * @param mode {@code aws} (the vault's Batch queue) or {@code local} (an executor in this service)
 * @param localThreads jobs run at once in local mode
 * @param localQueue jobs waiting in local mode before new ones stay queued for the reconciler
 * @param maxAttempts runs of one job: a worker that dies (lease lapsed) is replaced until this many have started
 * @param lease how long a running job's claim holds without a heartbeat; then another worker may take it over
 * @param heartbeat how often a running job renews its lease and looks for a cancellation request
 * @param progressInterval at most one progress event per this interval
 * @param reconcileInterval how often queued jobs nobody runs and jobs whose worker died are picked up
 * @param snapshotTimeout how long EC2 may take to complete a snapshot
 * @param ebsConcurrency EBS direct-API requests in flight per volume
 * @param engineWorkers ScaleZ worker threads (0: twice the cores, at least 4: restores wait on one S3 read per
 *     block, so more threads than cores keep the network busy)
 * @param scalezServer whether backups write through the vault's ScaleZ server when the provisioner registered one
 *     in the vault's table (else, and when none answers, the backup writes its own packs: same result)
 * @param accountId the AWS account of asset ids; asked of STS when absent
 * @param maintenanceInterval how often each active vault gets a {@code vault-maintenance} job (forget, prune, check)
 * @param maintenanceReadData the longest time between two maintenance checks of a vault that read every pack
 *     ({@code --read-data}); the runs in between check structure only
 * @param maintenanceLockWait how long a maintenance waits for the vault's exclusive lock while backups hold it
 * @param maintenanceLockTtl how long a maintenance's locks outlive a worker that died holding them (a live worker
 *     extends them)
 */
@ConfigurationProperties("connector.jobs")
public record JobsProperties(
        @DefaultValue("aws") JobsMode mode,
        @DefaultValue("2") int localThreads,
        @DefaultValue("20") int localQueue,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("1s") Duration heartbeat,
        @DefaultValue("1s") Duration progressInterval,
        @DefaultValue("30s") Duration reconcileInterval,
        @DefaultValue("6h") Duration snapshotTimeout,
        @DefaultValue("16") int ebsConcurrency,
        @DefaultValue("0") int engineWorkers,
        @DefaultValue("true") boolean scalezServer,
        @Nullable String accountId,
        @DefaultValue("24h") Duration maintenanceInterval,
        @DefaultValue("30d") Duration maintenanceReadData,
        @DefaultValue("30m") Duration maintenanceLockWait,
        @DefaultValue("10m") Duration maintenanceLockTtl) {

    public JobsProperties {
        if (lease.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("connector.jobs.lease (" + lease + ") must be at least three "
                    + "heartbeats (" + heartbeat + "), or a slow heartbeat would lose a healthy job");
        }
        if (maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
            throw new IllegalArgumentException("connector.jobs.maintenance-interval must be positive");
        }
        if (localThreads < 1 || maxAttempts < 1 || ebsConcurrency < 1) {
            throw new IllegalArgumentException(
                    "connector.jobs.local-threads, max-attempts and ebs-concurrency must be positive");
        }
    }

    /** ScaleZ worker threads to use. */
    public int workers() {
        return engineWorkers > 0
                ? engineWorkers
                : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }
}
