package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.BlobType;

/**
 * Where a backup puts its chunks: its own packs ({@link ChunkSaver}) or a ScaleZ server shared with other
 * backups ({@code remote.RemoteChunkSaver}). Either way the chunk ids, and so the recovery point, are the same.
 */
public interface BlobSaver {

    /**
     * Stores the first {@code length} bytes of {@code data} unless already stored, or all zeros for DATA
     * (metadata is always stored, so that a metadata stream never has holes of unknown length); returns the id.
     * Called from many worker threads.
     */
    ObjectId save(BlobType type, byte[] data, int length);

    /** Sealed bytes of new blobs this backup stored: what it added after dedup and compression. */
    long bytesAdded();

    /**
     * Makes every saved chunk durable and listed by an index file, where this saver can do so by itself (its
     * own packs); a remote writer does it in {@link #putManifest}, as one step with storing the manifest.
     */
    void finishData();

    /** Stores the sealed manifest create-only, after everything it needs: packs, then index, then manifest. */
    void putManifest(String recoveryPointId, byte[] sealedManifest);
}
