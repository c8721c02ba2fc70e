package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.chunk.FastCdc;
import io.cloudconnector.scalez.chunk.GearTable;
import io.cloudconnector.scalez.compress.Compressor;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.MasterKeys;
import io.cloudconnector.scalez.hash.ChunkHasher;
import io.cloudconnector.scalez.hash.ObjectId;
import java.time.Clock;

/** What every operation on an open repository needs: the store, its keys and codecs, the clock. */
record RepositoryContext(BlobStore store, RepositoryConfig config, Aead aead, ChunkHasher hasher, Compressor compressor,
        FastCdc cdc, Clock clock, int workers) {

    static RepositoryContext of(BlobStore store, RepositoryConfig config, MasterKeys keys, Clock clock, int workers) {
        var settings = config.settings();
        return new RepositoryContext(store, config, new Aead(keys.dataKey()), new ChunkHasher(keys.macKey()),
                new Compressor(settings.compressionLevel()),
                new FastCdc(settings.chunkSizes(), GearTable.fromSeed(config.gearSeed())), clock, workers);
    }

    /** Seals a whole object whose plaintext starts with its own magic, which doubles as the AAD. */
    byte[] sealObject(byte[] plain, byte[] aad) {
        return aead.seal(plain, aad);
    }

    /** Reads a content-addressed object and checks that it hashes to its name. */
    byte[] readAddressed(String key, ObjectId id) {
        var bytes = store.get(key);
        if (!ObjectId.sha256(bytes).equals(id)) {
            throw new CorruptObjectException(key, "content does not match its name (SHA-256 "
                    + ObjectId.sha256(bytes).shortHex() + ", " + bytes.length + " bytes)");
        }
        return bytes;
    }
}
