package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.RegionalClients;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.vaultaccess.VaultAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A vault's ScaleZ repository in its bucket (opened as every service opens it: {@link VaultAccess}): initialised
 * with a master key set wrapped by the vault's KMS key under the encryption context {@code {vault, repository}},
 * opened for catalog rebuilds, and emptied so that the bucket can go with the vault: only when it holds no backup
 * data, or with all its data when the vault is purged.
 */
@Component
public class VaultStorage {

    private static final Logger log = LoggerFactory.getLogger(VaultStorage.class);

    /** Prefixes that hold backup data; a vault whose bucket has any of them is never emptied silently. */
    private static final List<String> DATA_PREFIXES = List.of("snapshots/", "packs/", "index/");

    private final RegionalClients clients;
    private final String connectorId;

    VaultStorage(RegionalClients clients, ConnectorProperties connector) {
        this.clients = clients;
        this.connectorId = connector.id();
    }

    /**
     * Initialises the vault's repository; if an earlier attempt already did, opens it instead (which
     * proves the key unwraps), so that a retried creation ends in the same state.
     */
    void initialise(Vault vault, String bucket, String keyArn) {
        if (clients.emulated()) {
            EmulatorBucketLockShim.apply(clients.in(vault.region()).s3(), bucket, vault.objectLock());
        }
        access(vault, keyArn).initialise();
    }

    /** Opens the repository of an active vault. */
    public Repository open(Vault vault) {
        if (vault.bucketName() == null || vault.kmsKeyArn() == null) {
            throw new IllegalStateException("Vault " + vault.id() + " has no bucket yet");
        }
        return access(vault, vault.kmsKeyArn()).open();
    }

    /** Whether the vault's bucket holds backup data (manifests, packs or indexes). */
    boolean holdsData(Vault vault) {
        if (vault.bucketName() == null) {
            return false;
        }
        var store = store(vault.region(), vault.bucketName());
        try {
            return DATA_PREFIXES.stream().anyMatch(prefix -> !store.list(prefix).isEmpty());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof NoSuchBucketException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Until when the vault's Object Lock holds its newest object: the newest write of any object version plus the
     * lock's days (the bucket's default retention runs from each version's own write). Empty without Object Lock
     * or without objects.
     */
    Optional<Instant> lockedUntil(Vault vault) {
        if (vault.objectLock() == null || vault.bucketName() == null) {
            return Optional.empty();
        }
        var s3 = clients.in(vault.region()).s3();
        Instant newest = null;
        try {
            for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(vault.bucketName()))) {
                for (var version : page.versions()) {
                    if (newest == null || version.lastModified().isAfter(newest)) {
                        newest = version.lastModified();
                    }
                }
            }
        } catch (NoSuchBucketException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(newest).map(vault.objectLock()::heldUntil);
    }

    /**
     * What the engine's own records say holds a vault's recovery points: the latest {@code lockedUntil} over them
     * (empty: none has a lock) and the points under legal hold.
     */
    record EngineLocks(Optional<Instant> latestLockedUntil, List<String> legalHolds) {

        EngineLocks {
            legalHolds = List.copyOf(legalHolds);
        }
    }

    /**
     * The engine's lock records of every recovery point in the vault ({@code Repository.locks()}); empty when the
     * vault has no Object Lock or its repository cannot be opened or read (a purge then goes by the bucket alone).
     */
    Optional<EngineLocks> engineLocks(Vault vault) {
        if (vault.objectLock() == null || vault.bucketName() == null || vault.kmsKeyArn() == null) {
            return Optional.empty();
        }
        try {
            Instant latest = null;
            List<String> held = new ArrayList<>();
            for (var lock : open(vault).locks()) {
                if (lock.legalHold()) {
                    held.add(lock.recoveryPointId());
                }
                if (lock.lockedUntil() != null
                        && (latest == null || lock.lockedUntil().isAfter(latest))) {
                    latest = lock.lockedUntil();
                }
            }
            return Optional.of(new EngineLocks(Optional.ofNullable(latest), held));
        } catch (RuntimeException e) {
            log.info(
                    "Vault {}: no lock records from its repository ({}); the bucket decides",
                    vault.id(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Forgets every object of a bucket that holds no backup data, then removes the bucket if nothing is left.
     * Throws if the bucket holds data: the caller keeps the vault. See {@link #deleteBucket}.
     */
    boolean deleteEmptyBucket(Vault vault, String bucket) {
        if (holdsData(vault)) {
            throw new IllegalStateException("Bucket " + bucket + " holds backup data; it is kept");
        }
        return deleteBucket(vault, bucket);
    }

    /**
     * Forgets every object of a vault's bucket, backup data included (a purge), then removes the bucket if nothing
     * is left in it. No connector role may delete an object version (docs/deploy.md, the break-glass role): every
     * current object gets a delete marker, and the bucket's lifecycle expires the noncurrent versions after the
     * vault's {@code NoncurrentVersionRetentionDays} (Object Lock keeps a locked version until its lock ends). A
     * bucket still holding versions stays, as the vault stack retains it; an administrator with the break-glass role
     * may remove it at once. Returns whether the bucket is gone; a kept one is for {@link LeftoverBuckets}.
     */
    boolean deleteBucket(Vault vault, String bucket) {
        var s3 = clients.in(vault.region()).s3();
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket))) {
                List<ObjectIdentifier> objects = new ArrayList<>();
                page.contents()
                        .forEach(o -> objects.add(
                                ObjectIdentifier.builder().key(o.key()).build()));
                if (!objects.isEmpty()) {
                    var result = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(objects)));
                    if (result.hasErrors() && !result.errors().isEmpty()) {
                        throw new IllegalStateException("Cannot empty bucket " + bucket + ": "
                                + result.errors().getFirst().key() + " "
                                + result.errors().getFirst().message());
                    }
                }
            }
            s3.deleteBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return true; // already gone
        } catch (S3Exception e) {
            if (!"BucketNotEmpty".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            log.info(
                    "Vault {}: bucket {} kept until its lifecycle expires the noncurrent versions", vault.id(), bucket);
            return false;
        }
    }

    private BlobStore store(String region, String bucket) {
        return new S3BlobStore(clients.in(region).s3(), bucket, "");
    }

    private VaultAccess access(Vault vault, String keyArn) {
        var regional = clients.in(vault.region());
        return new VaultAccess(
                new VaultResources(connectorId, vault.id()), keyArn, regional.s3(), regional.kms(), regional.dynamo());
    }
}
