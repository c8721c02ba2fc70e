package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.blob.BlobInfo;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.BlobStoreException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of a versioned store through one recovery point's record: a recorded key reads exactly its
 * recorded version, and {@code index/} lists only the recorded index files. What an attacker wrote afterwards (a
 * newer version of a key, a delete marker, another index file) is never read. Keys the record does not name read
 * the current version.
 */
public final class PinnedBlobStore implements BlobStore {

    private final BlobStore store;
    private final Map<String, String> versions;

    public PinnedBlobStore(BlobStore store, PointRecord record) {
        this.store = store;
        var map = new java.util.HashMap<String, String>();
        record.objects().forEach(e -> map.put(e.key(), e.versionId()));
        this.versions = Map.copyOf(map);
    }

    @Override
    public URI location() {
        return store.location();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        throw new BlobStoreException("A pinned view of " + location() + " is read-only");
    }

    @Override
    public void put(String key, byte[] data) {
        throw new BlobStoreException("A pinned view of " + location() + " is read-only");
    }

    @Override
    public byte[] get(String key) {
        var version = versions.get(key);
        return version == null ? store.get(key) : store.getVersion(key, version);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        var version = versions.get(key);
        return version == null
                ? store.getRange(key, offset, length)
                : store.getRangeVersion(key, version, offset, length);
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return store.stat(key);
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        if (prefix.equals("index/")) {
            return versions.keySet().stream()
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .map(k -> new BlobInfo(k, 0, java.time.Instant.EPOCH))
                    .toList();
        }
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        throw new BlobStoreException("A pinned view of " + location() + " is read-only");
    }
}
