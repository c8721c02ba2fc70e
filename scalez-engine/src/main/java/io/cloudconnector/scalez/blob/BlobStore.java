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

    @Override
    default void close() {}
}
