package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.CatalogProperties;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.VaultMaintenanceRequested;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.net.URI;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * What the vault API does: every check that can refuse a request runs before anything is written, so a
 * refused request changes nothing; an accepted one is stored as creating and built in the background.
 */
@Service
class VaultService {

    /** The operation an {@code Idempotency-Key} of {@code POST /v1/vaults} belongs to. */
    static final String OPERATION = "vaults";

    /** The query parameter that deletes a vault with its data, as refusals name it. */
    static final String PURGE = "purge";

    private final VaultRepository vaults;
    private final NetworkValidator network;
    private final VaultLifecycle lifecycle;
    private final VaultStorage storage;
    private final EventPublisher events;
    private final CatalogProperties properties;
    private final Idempotency idempotency;
    private final Clock clock;

    VaultService(
            VaultRepository vaults,
            NetworkValidator network,
            VaultLifecycle lifecycle,
            VaultStorage storage,
            EventPublisher events,
            CatalogProperties properties,
            Idempotency idempotency,
            Clock clock) {
        this.vaults = vaults;
        this.network = network;
        this.lifecycle = lifecycle;
        this.storage = storage;
        this.events = events;
        this.properties = properties;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /**
     * Accepts a vault: 202 with the vault ({@code creating}) and its {@code Location}; with an
     * {@code Idempotency-Key}, the answer to the first request with that key and body.
     */
    ResponseEntity<Vault> create(CreateVaultRequest request, @Nullable String idempotencyKey) {
        // The name is compared as it is stored, trimmed.
        var compared = new CreateVaultRequest(
                request.name().strip(),
                request.region(),
                request.vpcId(),
                request.subnetIds(),
                request.objectLock(),
                request.scalezCapacity());
        return idempotency.respond(OPERATION, idempotencyKey, compared, Vault.class, claim -> {
            ScalezCapacity capacity = request.capacity();
            if (!properties.regions().contains(request.region())) {
                throw new InvalidInputException("region", "must be one of " + String.join(", ", properties.regions()));
            }
            SubnetKind kind = network.check(request.region(), request.vpcId(), request.subnetIds());
            var now = clock.instant();
            var vault = new Vault(
                    Ids.vault(),
                    request.name().strip(),
                    request.region(),
                    VaultStatus.CREATING,
                    null,
                    request.vpcId(),
                    request.subnetIds(),
                    kind,
                    request.lock(defaultObjectLock()),
                    capacity,
                    null,
                    null,
                    0,
                    0,
                    null,
                    Ids.job(),
                    now,
                    now);
            var answer = ResponseEntity.accepted()
                    .location(URI.create("/v1/vaults/" + vault.id()))
                    .body(vault);
            vaults.insert(vault, properties.maxPerRegion(), claim, answer);
            events.publish(
                    new JobCreated(vault.creationJobId(), JobKind.VAULT_CREATE, vault.id(), null, null),
                    vault.creationJobId());
            lifecycle.submitCreation(vault.id());
            return answer;
        });
    }

    /** The lock of a vault whose request does not mention one ({@code connector.vaults.default-object-lock-*}). */
    private @Nullable ObjectLock defaultObjectLock() {
        String mode = properties.defaultObjectLockMode();
        return "none".equals(mode)
                ? null
                : new ObjectLock(
                        ObjectLock.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)),
                        properties.defaultObjectLockDays());
    }

    Page<Vault> list(PageRequest page) {
        return vaults.list(page);
    }

    Vault get(String id) {
        return vaults.find(id).orElseThrow(() -> new NotFoundException("Vault", id));
    }

    /**
     * Deletes an empty vault; refused (409 naming {@code purge}) while it holds recovery points or their data.
     */
    Vault delete(String id) {
        var vault = get(id);
        switch (vault.status()) {
            case CREATING -> throw new ConflictException("Vault " + id + " is still being created");
            case DELETING -> {
                return vault;
            }
            default -> {
                // ACTIVE or FAILED: checked below
            }
        }
        if (vault.recoveryPointCount() > 0) {
            throw new ConflictException(
                    PURGE,
                    "Vault " + id + " holds " + vault.recoveryPointCount() + " recovery points; delete them first, "
                            + "or delete the vault with purge=true (scope vaults:unlock), which deletes them and "
                            + "all its data");
        }
        if (storage.holdsData(vault)) {
            throw new ConflictException(
                    PURGE,
                    "Vault " + id
                            + " still holds the data of deleted recovery points; its maintenance (POST /v1/vaults/" + id
                            + "/maintenance) reclaims it, or delete the vault with purge=true");
        }
        if (!vaults.markDeleting(id, clock.instant())) {
            throw new ConflictException("Vault " + id + " changed while it was being deleted; try again");
        }
        lifecycle.submitDeletion(id);
        return get(id);
    }

    /**
     * Deletes a vault with everything it holds: its recovery points, every object version in its bucket, its stack.
     * Refused (409 naming {@code purge}) while Object Lock still holds any of it, with the date from which it can be
     * purged: the later of the engine's records (the latest {@code lockedUntil} of its recovery points) and the
     * bucket default retention of its newest object version; refused while any point is under legal hold, naming
     * it. The caller has checked the scope.
     */
    Vault purge(String id) {
        var vault = get(id);
        if (vault.status() == VaultStatus.CREATING) {
            throw new ConflictException("Vault " + id + " is still being created");
        }
        var now = clock.instant();
        var engineLocks = storage.engineLocks(vault);
        if (engineLocks.isPresent() && !engineLocks.get().legalHolds().isEmpty()) {
            throw new ConflictException(
                    PURGE,
                    "Vault " + id + " holds recovery points under legal hold ("
                            + String.join(", ", engineLocks.get().legalHolds())
                            + "): remove the hold (PUT /v1/recovery-points/{id}/legal-hold) before purging");
        }
        // The later of what the engine records (each point's lockedUntil, extended ones included) and what the
        // bucket's default retention holds (each object version from its own write, e.g. a pack repacked later).
        var lockedUntil = Stream.of(
                        storage.lockedUntil(vault), engineLocks.flatMap(VaultStorage.EngineLocks::latestLockedUntil))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder())
                .filter(until -> until.isAfter(now));
        if (lockedUntil.isPresent() && vault.objectLock() != null) {
            throw new ConflictException(
                    PURGE,
                    "Vault " + id + " is under Object Lock ("
                            + WireNames.of(vault.objectLock().mode()) + ", "
                            + vault.objectLock().days() + " days) until " + lockedUntil.get()
                            + ": it can be purged from " + lockedUntil.get());
        }
        if (!vaults.markPurging(id, now)) {
            throw new ConflictException("Vault " + id + " changed while it was being deleted; try again");
        }
        lifecycle.submitDeletion(id);
        return get(id);
    }

    /** The body of a 202 that started a job: follow it in jobstatus. */
    record JobAccepted(String jobId) {}

    /**
     * Asks for the vault's maintenance now: the job id is minted here and the request travels as
     * {@link VaultMaintenanceRequested} to the background jobs, which run it (services never call each other).
     */
    ResponseEntity<JobAccepted> requestMaintenance(String id) {
        var vault = get(id);
        if (vault.status() != VaultStatus.ACTIVE) {
            throw new ConflictException(
                    "status",
                    "Vault " + id + " is " + WireNames.of(vault.status()) + ": only an active vault is maintained");
        }
        String jobId = Ids.job();
        events.publish(new VaultMaintenanceRequested(id, jobId), jobId);
        return ResponseEntity.accepted()
                .location(URI.create("/v1/jobs/" + jobId))
                .body(new JobAccepted(jobId));
    }

    Vault setRetention(String id, RetentionSettings retention) {
        if (retention.isEmpty()) {
            throw new InvalidInputException(
                    "retention",
                    "at least one of keepLast, keepDaily, keepWeekly, "
                            + "keepMonthly, keepYearly must be positive (a policy that keeps nothing would expire everything)");
        }
        get(id);
        return vaults.setRetention(id, retention, clock.instant())
                .orElseThrow(() -> new ConflictException("Vault " + id + " is being deleted"));
    }
}
