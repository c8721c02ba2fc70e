package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.blob.BlobInfo;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.BlobStoreException;
import io.cloudconnector.scalez.blob.BlobVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a versioned store that reads, for every key, the <em>oldest</em> version that is not a
 * delete marker, and lists every key that has one. The engine writes each key once (create-only: config, key
 * files, index files, packs, manifests), so the oldest version is the engine's own and anything newer was written
 * by someone else; a delete marker hides nothing here. Used when the current versions do not open (an attacker
 * overwrote or hid them): opening the repository and reading a manifest fall back to it.
 */
public final class OriginalVersions implements BlobStore {

    private final BlobStore store;

    public OriginalVersions(BlobStore store) {
        this.store = store;
    }

    /** The oldest version of each key under {@code prefix} that is not a delete marker, in key order. */
    public static List<BlobVersion> originals(BlobStore store, String prefix) {
        var found = new ArrayList<BlobVersion>();
        BlobVersion oldest = null;
        for (var v : store.listVersions(prefix)) {
            if (oldest != null && !oldest.key().equals(v.key())) {
                found.add(oldest);
                oldest = null;
            }
            // Newest first per key: the last non-marker version seen for a key is its oldest.
            if (!v.deleteMarker()) {
                oldest = v;
            }
        }
        if (oldest != null) {
            found.add(oldest);
        }
        return found;
    }

    @Override
    public URI location() {
        return store.location();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        throw new BlobStoreException("The original versions of " + location() + " are read-only");
    }

    @Override
    public void put(String key, byte[] data) {
        throw new BlobStoreException("The original versions of " + location() + " are read-only");
    }

    private BlobVersion original(String key) {
        return originals(store, key).stream()
                .filter(v -> v.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new BlobNotFoundException(key));
    }

    @Override
    public byte[] get(String key) {
        return store.getVersion(key, original(key).versionId());
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return store.getRangeVersion(key, original(key).versionId(), offset, length);
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        try {
            var v = original(key);
            return Optional.of(new BlobInfo(key, v.size(), v.lastModified()));
        } catch (BlobNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return originals(store, prefix).stream()
                .map(v -> new BlobInfo(v.key(), v.size(), v.lastModified()))
                .toList();
    }

    @Override
    public void delete(String key) {
        throw new BlobStoreException("The original versions of " + location() + " are read-only");
    }
}
