package io.cloudconnector.scalez.blob;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A flat namespace of objects ("blobs") addressed by slash-separated keys such as
 * {@code packs/3f/3f9a...}; the repository above it never rewrites a blob in place.
 *
 * <p>Implementations are thread-safe. A missing blob is {@link BlobNotFoundException}; a failure that
 * may succeed when tried again (throttling, 5xx, a dropped connection) is
 * {@link TransientBlobStoreException}; anything else is {@link BlobStoreException}.
 */
public interface BlobStore extends AutoCloseable {

    /** Where this store lives, e.g. {@code s3://bucket/prefix} or {@code file:///var/repo}. */
    URI location();

    /**
     * Writes a blob only if no blob has the key (S3 {@code If-None-Match: *}, an atomic link on disk).
     *
     * @return {@code true} if this call created the blob, {@code false} if it already existed
     */
    boolean putIfAbsent(String key, byte[] data);

    /** Writes a blob, replacing any blob with the same key; readers see the old or the new bytes, never a mix. */
    void put(String key, byte[] data);

    /** Reads a whole blob. */
    byte[] get(String key);

    /** Reads {@code length} bytes starting at {@code offset}; fewer only if the blob ends first. */
    byte[] getRange(String key, long offset, int length);

    /** Size and time of a blob, or empty if there is none. */
    Optional<BlobInfo> stat(String key);

    /** Every blob whose key starts with {@code prefix}, in key order. */
    List<BlobInfo> list(String prefix);

    /** Deletes a blob; deleting a missing blob is not an error. */
    void delete(String key);

    // --- versions and Object Lock (S3 with versioning; other stores keep no versions) ---------------------------

    /** Whether this store keeps object versions (an S3 bucket with versioning, which Object Lock implies). */
    default boolean isVersioned() {
        return false;
    }

    /** The store's default Object Lock retention, or empty if it has none (or no Object Lock). */
    default Optional<ObjectLockDefaults> objectLockDefaults() {
        return Optional.empty();
    }

    /**
     * Every version and delete marker of every blob whose key starts with {@code prefix}, in key order and, per
     * key, newest first; empty for a store that keeps no versions.
     */
    default List<BlobVersion> listVersions(String prefix) {
        return List.of();
    }

    /** Reads one version of a blob. */
    default byte[] getVersion(String key, String versionId) {
        throw new BlobStoreException(location() + " keeps no object versions");
    }

    /** Reads {@code length} bytes of one version of a blob, starting at {@code offset}. */
    default byte[] getRangeVersion(String key, String versionId, long offset, int length) {
        throw new BlobStoreException(location() + " keeps no object versions");
    }

    /**
     * Deletes one version (or delete marker) of a blob for good; deleting a missing version is not an error.
     *
     * @param bypassGovernance send {@code x-amz-bypass-governance-retention} (needs that permission)
     * @throws ObjectLockedException if a retention or legal hold protects the version
     */
    default void deleteVersion(String key, String versionId, boolean bypassGovernance) {
        throw new BlobStoreException(location() + " keeps no object versions");
    }

    /**
     * Sets one version's Object Lock retention ({@code PutObjectRetention}). Extending is always allowed; shortening
     * a governance retention needs {@code bypassGovernance}; a compliance one cannot be shortened.
     *
     * @throws ObjectLockedException if the store refuses because of the existing lock
     */
    default void putRetention(
            String key, String versionId, LockMode mode, java.time.Instant until, boolean bypassGovernance) {
        throw new BlobStoreException(location() + " has no Object Lock");
    }

    /**
     * One version's retain-until date as the store reports it ({@code GetObjectRetention}), or empty if it has none
     * or cannot say. The engine decides from its own records; this is asked only when the store refused an
     * extension, to tell "already retained longer" from a real refusal.
     */
    default Optional<java.time.Instant> retention(String key, String versionId) {
        return Optional.empty();
    }

    /** Puts ({@code on}) or removes a legal hold on one version ({@code PutObjectLegalHold}). */
    default void putLegalHold(String key, String versionId, boolean on) {
        throw new BlobStoreException(location() + " has no Object Lock");
    }

    @Override
    default void close() {}
}
