package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.chunk.FastCdc;
import io.cloudconnector.scalez.chunk.GearTable;
import io.cloudconnector.scalez.compress.Compressor;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.ChunkKeys;
import io.cloudconnector.scalez.crypto.MasterKeys;
import io.cloudconnector.scalez.hash.ChunkHasher;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.model.CorruptObjectException;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * What every operation on an open repository needs: the store, its keys and codecs, the clock. {@code aead} is
 * the data key's, for metadata objects; blobs are sealed under {@link #blobAead}.
 */
public record RepositoryContext(
        BlobStore store,
        RepositoryConfig config,
        Aead aead,
        @Nullable ChunkKeys chunkKeys,
        ChunkHasher hasher,
        Compressor compressor,
        FastCdc cdc,
        Clock clock,
        int workers) {

    public static RepositoryContext of(
            BlobStore store, RepositoryConfig config, MasterKeys keys, Clock clock, int workers) {
        var settings = config.settings();
        return new RepositoryContext(
                store,
                config,
                new Aead(keys.dataKey()),
                config.keyPerBlob() ? ChunkKeys.of(keys.dataKey()) : null,
                new ChunkHasher(keys.macKey()),
                new Compressor(settings.compressionLevel()),
                new FastCdc(settings.chunkSizes(), GearTable.fromSeed(config.gearSeed())),
                clock,
                workers);
    }

    /** The same repository read through another store (e.g. a pinned or original-versions view). */
    public RepositoryContext withStore(BlobStore other) {
        return new RepositoryContext(other, config, aead, chunkKeys, hasher, compressor, cdc, clock, workers);
    }

    /** The AEAD that seals and opens the blob of chunk {@code id}: its own key in format 2, the data key's in 1. */
    public Aead blobAead(ObjectId id) {
        return chunkKeys == null ? aead : chunkKeys.aeadFor(id.toBytes());
    }

    /** Seals a whole object whose plaintext starts with its own magic, which doubles as the AAD. */
    public byte[] sealObject(byte[] plain, byte[] aad) {
        return aead.seal(plain, aad);
    }

    /** Reads a content-addressed object and checks that it hashes to its name. */
    public byte[] readAddressed(String key, ObjectId id) {
        var bytes = store.get(key);
        if (!ObjectId.sha256(bytes).equals(id)) {
            throw new CorruptObjectException(
                    key,
                    "content does not match its name (SHA-256 "
                            + ObjectId.sha256(bytes).shortHex() + ", " + bytes.length + " bytes)");
        }
        return bytes;
    }
}
