package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.CatalogProperties;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
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
                    request.objectLock(),
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

    Page<Vault> list(PageRequest page) {
        return vaults.list(page);
    }

    Vault get(String id) {
        return vaults.find(id).orElseThrow(() -> new NotFoundException("Vault", id));
    }

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
                    "Vault " + id + " holds " + vault.recoveryPointCount() + " recovery points; delete them first");
        }
        if (storage.holdsData(vault)) {
            throw new ConflictException("Vault " + id + " still holds the data of deleted recovery points; "
                    + "it is deleted once a prune has reclaimed it");
        }
        if (!vaults.markDeleting(id, clock.instant())) {
            throw new ConflictException("Vault " + id + " changed while it was being deleted; try again");
        }
        lifecycle.submitDeletion(id);
        return get(id);
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
