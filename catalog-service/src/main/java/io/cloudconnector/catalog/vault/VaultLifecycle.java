package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.CatalogProperties;
import io.cloudconnector.catalog.config.RegionalClients;
import io.cloudconnector.common.aws.StackDeployer;
import io.cloudconnector.common.aws.StackSpec;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.event.VaultFailed;
import io.cloudconnector.common.messaging.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Creates and deletes vaults in the background: deploys the vault stack through CloudFormation,
 * initialises the ScaleZ repository with the vault's KMS key, and reports through events. A replica
 * takes a vault with a lease, so that two replicas never work on one vault and a crashed one's work is
 * picked up again by the reconciler; every step can run twice and ends in the same state.
 */
@Component
class VaultLifecycle {

    private static final Logger log = LoggerFactory.getLogger(VaultLifecycle.class);
    private static final Duration POLL = Duration.ofSeconds(2);

    private final VaultRepository vaults;
    private final VaultTemplate template;
    private final VaultStorage storage;
    private final LeftoverBuckets leftovers;
    private final VaultRecoveryPoints recoveryPoints;
    private final RegionalClients clients;
    private final EventPublisher events;
    private final ExecutorService workers;
    private final CatalogProperties properties;
    private final Clock clock;
    private final String owner = "catalog-" + UUID.randomUUID();
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    VaultLifecycle(
            VaultRepository vaults,
            VaultTemplate template,
            VaultStorage storage,
            LeftoverBuckets leftovers,
            VaultRecoveryPoints recoveryPoints,
            RegionalClients clients,
            EventPublisher events,
            ExecutorService vaultWorkers,
            CatalogProperties properties,
            Clock clock) {
        this.vaults = vaults;
        this.template = template;
        this.storage = storage;
        this.leftovers = leftovers;
        this.recoveryPoints = recoveryPoints;
        this.clients = clients;
        this.events = events;
        this.workers = vaultWorkers;
        this.properties = properties;
        this.clock = clock;
    }

    /** Queues the creation of a vault that was just stored as creating. */
    void submitCreation(String vaultId) {
        submit(vaultId, () -> create(vaultId));
    }

    /** Queues the deletion of a vault that was just marked deleting. */
    void submitDeletion(String vaultId) {
        submit(vaultId, () -> delete(vaultId));
    }

    /** One piece of work per vault in this replica at a time; the lease keeps other replicas out. */
    private void submit(String vaultId, Runnable work) {
        if (!inFlight.add(vaultId)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } finally {
                    inFlight.remove(vaultId);
                }
            });
        } catch (RuntimeException e) {
            inFlight.remove(vaultId);
            throw e;
        }
    }

    /** Picks up vaults whose creation or deletion was interrupted (a crash, a full queue, a restart). */
    @Scheduled(
            fixedDelayString = "${connector.vaults.reconcile-interval:60s}",
            initialDelayString = "${connector.vaults.reconcile-interval:60s}")
    void reconcile() {
        vaults.inStatus(VaultStatus.CREATING).forEach(v -> submitCreation(v.id()));
        vaults.inStatus(VaultStatus.DELETING).forEach(v -> submitDeletion(v.id()));
    }

    void create(String vaultId) {
        var vault = vaults.find(vaultId).orElse(null);
        if (vault == null || vault.status() != VaultStatus.CREATING || !claim(vault)) {
            return;
        }
        String stack = template.stackName(vault);
        try {
            events.publish(new JobStarted(vault.creationJobId(), null), vault.creationJobId());
            var spec = StackSpec.inline(stack, template.body(), template.parameters(vault))
                    .withRole(properties.stackRoleArn());
            // Deployed, the catalog's role may create and update vault stacks only from the pinned template URL.
            var templateUrl = properties.templateUrl();
            Map<String, String> outputs = deployer(vault)
                    .deploy(
                            templateUrl == null || templateUrl.isBlank() ? spec : spec.withTemplateUrl(templateUrl),
                            properties.stackTimeout());
            String bucket = required(outputs, "BucketName", stack);
            String keyArn = required(outputs, "KeyArn", stack);
            storage.initialise(vault, bucket, keyArn);
            vaults.markActive(vault.id(), bucket, keyArn, clock.instant());
            events.publish(
                    new VaultCreated(vault.id(), vault.name(), vault.region(), bucket, keyArn), vault.creationJobId());
            events.publish(new JobSucceeded(vault.creationJobId(), JobResult.none()), vault.creationJobId());
            log.info("Vault {} ({}) is active: bucket {}", vault.id(), vault.name(), bucket);
        } catch (RuntimeException e) {
            String reason = reasonOf(e);
            log.warn("Creating vault {} failed: {}", vault.id(), reason, e);
            if (vaults.find(vault.id()).map(Vault::status).orElse(null) != VaultStatus.CREATING) {
                return; // it became active after all (an event failed to publish): never roll back a live vault
            }
            rollBack(vault, stack);
            vaults.markFailed(vault, reason, clock.instant());
            events.publish(new VaultFailed(vault.id(), vault.name(), reason), vault.creationJobId());
            events.publish(new JobFailed(vault.creationJobId(), "vault-create-failed", reason), vault.creationJobId());
        }
    }

    void delete(String vaultId) {
        var vault = vaults.find(vaultId).orElse(null);
        if (vault == null || vault.status() != VaultStatus.DELETING || !claim(vault)) {
            return;
        }
        String stack = template.stackName(vault);
        boolean purge = vaults.purging(vault.id());
        try {
            if (purge) {
                // First, so that the background jobs forget the points and delete their snapshots while the stack goes.
                int deleted = recoveryPoints.deleteAll(vault.id());
                log.info("Purging vault {}: {} recovery points deleted", vault.id(), deleted);
            } else if (storage.holdsData(vault)) {
                throw new IllegalStateException("the vault's bucket still holds backup data");
            }
            deployer(vault).delete(stack, properties.stackTimeout());
            // The stack retains bucket and key by design; the bucket's objects are forgotten (delete markers), and
            // the bucket goes once nothing is left in it (no connector role may delete an object version).
            String bucket = vault.bucketName();
            if (bucket != null) {
                boolean removed =
                        purge ? storage.deleteBucket(vault, bucket) : storage.deleteEmptyBucket(vault, bucket);
                if (!removed) {
                    leftovers.remember(vault, bucket); // removed by the daily sweep once the lifecycle emptied it
                }
            }
            vaults.markDeleted(vault, clock.instant());
            events.publish(new VaultDeleted(vault.id()), null);
            log.info("Vault {} ({}) deleted", vault.id(), vault.name());
        } catch (RuntimeException e) {
            String reason = "deletion stopped: " + reasonOf(e);
            log.warn("Deleting vault {} stopped: {}", vault.id(), reason, e);
            vaults.markDeletionStuck(vault.id(), reason, clock.instant());
        }
    }

    /**
     * Removes what a failed creation made, each step on its own so that one failing does not keep the
     * others from running. Nothing but the repository's key file and config can be in the bucket of a
     * vault that never became active; the KMS key is retained by the stack and the connector may not
     * schedule its deletion (the key policy forbids it), so an administrator removes it if wanted.
     */
    private void rollBack(Vault vault, String stack) {
        try {
            deployer(vault).delete(stack, properties.stackTimeout());
        } catch (RuntimeException e) {
            log.warn("Rolling back vault {}: stack {} not deleted: {}", vault.id(), stack, reasonOf(e));
        }
        try {
            String bucket = template.bucketName(vault);
            if (!storage.deleteEmptyBucket(vault, bucket)) {
                leftovers.remember(vault, bucket);
            }
        } catch (RuntimeException e) {
            log.warn("Rolling back vault {}: bucket not deleted: {}", vault.id(), reasonOf(e));
        }
    }

    private boolean claim(Vault vault) {
        var now = clock.instant();
        return vaults.claim(vault.id(), vault.status(), owner, now, now.plus(properties.lease()));
    }

    private StackDeployer deployer(Vault vault) {
        return new StackDeployer(clients.in(vault.region()).cloudFormation(), clock, POLL);
    }

    private static String required(Map<String, String> outputs, String name, String stack) {
        String value = outputs.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Stack " + stack + " has no output " + name);
        }
        return value;
    }

    private static String reasonOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
