package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.CatalogProperties;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * What the vault API does: every check that can refuse a request runs before anything is written, so a
 * refused request changes nothing; an accepted one is stored as creating and built in the background.
 */
@Service
class VaultService {

    private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    private final VaultRepository vaults;
    private final NetworkValidator network;
    private final VaultLifecycle lifecycle;
    private final VaultStorage storage;
    private final EventPublisher events;
    private final CatalogProperties properties;
    private final Clock clock;

    VaultService(VaultRepository vaults, NetworkValidator network, VaultLifecycle lifecycle, VaultStorage storage,
            EventPublisher events, CatalogProperties properties, Clock clock) {
        this.vaults = vaults;
        this.network = network;
        this.lifecycle = lifecycle;
        this.storage = storage;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** The answer to a create request: the vault, and whether this request created it (else: a retry). */
    record Created(Vault vault, boolean isNew) {
    }

    Created create(CreateVaultRequest request, @Nullable String idempotencyKey) {
        ScalezCapacity capacity = request.capacity();
        String hash = hash(request, capacity);
        if (idempotencyKey != null) {
            var earlier = replay(idempotencyKey, hash);
            if (earlier != null) {
                return new Created(earlier, false);
            }
        }
        if (!properties.regions().contains(request.region())) {
            throw new InvalidInputException("region", "must be one of " + String.join(", ", properties.regions()));
        }
        SubnetKind kind = network.check(request.region(), request.vpcId(), request.subnetIds());
        var now = clock.instant();
        var vault = new Vault(Ids.vault(), request.name().strip(), request.region(), VaultStatus.CREATING, null,
                request.vpcId(), request.subnetIds(), kind, request.objectLock(), capacity, null, null, 0, 0, null,
                Ids.job(), now, now);
        var idempotency = idempotencyKey == null ? null
                : new IdempotencyRecord(idempotencyKey, hash, vault.id(), now.plus(IDEMPOTENCY_TTL));
        try {
            vaults.insert(vault, properties.maxPerRegion(), idempotency);
        } catch (IdempotencyRaceException e) {
            // Only a request with a key races, and the winner's record is there to replay.
            return new Created(java.util.Objects.requireNonNull(replay(java.util.Objects.requireNonNull(idempotencyKey), hash)), false);
        }
        events.publish(new JobCreated(vault.creationJobId(), JobKind.VAULT_CREATE, vault.id(), null, null),
                vault.creationJobId());
        lifecycle.submitCreation(vault.id());
        return new Created(vault, true);
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
            throw new ConflictException("Vault " + id + " holds " + vault.recoveryPointCount()
                    + " recovery points; delete them first");
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
            throw new InvalidInputException("retention", "at least one of keepLast, keepDaily, keepWeekly, "
                    + "keepMonthly, keepYearly must be positive (a policy that keeps nothing would expire everything)");
        }
        get(id);
        return vaults.setRetention(id, retention, clock.instant())
                .orElseThrow(() -> new ConflictException("Vault " + id + " is being deleted"));
    }

    private @Nullable Vault replay(String key, String hash) {
        var earlier = vaults.idempotency(key).orElse(null);
        if (earlier == null) {
            return null;
        }
        if (!earlier.requestHash().equals(hash)) {
            throw new ConflictException("Idempotency-Key", "Idempotency-Key " + key
                    + " was used for a different request");
        }
        return vaults.find(earlier.vaultId()).orElseThrow(() -> new NotFoundException("Vault", earlier.vaultId()));
    }

    private static String hash(CreateVaultRequest request, ScalezCapacity capacity) {
        String canonical = String.join("\n", request.name().strip(), request.region(), request.vpcId(),
                String.join(",", List.copyOf(request.subnetIds())),
                request.objectLock() == null ? "" : request.objectLock().mode() + ":" + request.objectLock().days());
        if (capacity != ScalezCapacity.FARGATE_SPOT) {
            // Only a non-default capacity adds a line: keys recorded before it could be chosen still match.
            canonical += "\n" + capacity.name();
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
