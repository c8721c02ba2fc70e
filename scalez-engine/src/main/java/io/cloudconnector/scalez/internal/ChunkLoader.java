package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.compress.Compressor;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.ChunkIndex;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.MissingChunkException;
import io.cloudconnector.scalez.pack.Pack;

/**
 * Reads chunks back: one range read of the sealed blob, then decrypt and decompress. A restore never returns
 * wrong bytes because the blob's GCM tag covers the chunk id, type, codec and length in its AAD: a changed,
 * cut or misplaced byte fails authentication. {@code check --read-data} also recomputes every chunk id
 * ({@link #openVerified}), which would catch a writer that sealed the wrong plaintext under an id. Thread-safe.
 */
public final class ChunkLoader {

    private final RepositoryContext ctx;
    private final ChunkIndex index;

    public ChunkLoader(RepositoryContext ctx, ChunkIndex index) {
        this.ctx = ctx;
        this.index = index;
    }

    /** The plaintext of chunk {@code id}; {@code zeroLength} zeros for the zero id. */
    public byte[] load(ObjectId id, int zeroLength) {
        if (id.isZero()) {
            return new byte[zeroLength];
        }
        var location = index.find(id);
        if (location == null) {
            throw new MissingChunkException(id.hex());
        }
        var key = Pack.key(location.packId());
        var entry = location.entry();
        byte[] sealed;
        try {
            sealed = ctx.store().getRange(key, entry.offset(), entry.length());
        } catch (BlobNotFoundException e) {
            throw new CorruptObjectException(key, "missing, but the index lists chunk " + id.hex() + " in it");
        }
        if (sealed.length != entry.length()) {
            throw new CorruptObjectException(
                    key,
                    "truncated: blob " + id.hex() + " at " + entry.offset() + " has " + sealed.length + " of "
                            + entry.length() + " bytes");
        }
        return openBlob(key, entry, sealed, 0);
    }

    /**
     * As {@link #load}, into the start of {@code out} (at least {@code length} bytes) for a chunk of exactly
     * {@code length} bytes: decrypted into this thread's scratch buffer and decompressed straight into {@code out},
     * with no per-chunk arrays but the range read. Throws as {@link #load} does, and when the chunk's length
     * differs.
     */
    public void loadInto(ObjectId id, byte[] out, int length) {
        if (id.isZero()) {
            java.util.Arrays.fill(out, 0, length, (byte) 0);
            return;
        }
        var location = index.find(id);
        if (location == null) {
            throw new MissingChunkException(id.hex());
        }
        var key = Pack.key(location.packId());
        var entry = location.entry();
        if (entry.rawLength() != length) {
            throw new ScalezException("Chunk " + id.hex() + " is " + entry.rawLength() + " bytes, expected " + length);
        }
        byte[] sealed;
        try {
            sealed = ctx.store().getRange(key, entry.offset(), entry.length());
        } catch (BlobNotFoundException e) {
            throw new CorruptObjectException(key, "missing, but the index lists chunk " + id.hex() + " in it");
        }
        if (sealed.length != entry.length()) {
            throw new CorruptObjectException(
                    key,
                    "truncated: blob " + id.hex() + " at " + entry.offset() + " has " + sealed.length + " of "
                            + entry.length() + " bytes");
        }
        var scratch = OPENED.get();
        if (scratch.length < sealed.length) {
            scratch = new byte[sealed.length];
            OPENED.set(scratch);
        }
        try {
            int stored = ctx.blobAead(entry.id()).openInto(sealed, 0, sealed.length, entry.aad(), scratch);
            Compressor.decompressInto(entry.codec(), scratch, 0, stored, out, length);
        } catch (DecryptionException e) {
            throw new CorruptObjectException(key, "blob " + id.hex() + " does not decrypt: " + e.getMessage());
        } catch (ScalezException e) {
            throw new CorruptObjectException(key, "blob " + id.hex() + " does not decode: " + e.getMessage());
        }
    }

    private static final ThreadLocal<byte[]> OPENED = ThreadLocal.withInitial(() -> new byte[0]);

    /** As {@link #openBlob}, and checks that the plaintext hashes to the chunk id. */
    public byte[] openVerified(
            String packKey, io.cloudconnector.scalez.pack.PackEntry entry, byte[] bytes, int offset) {
        var plain = openBlob(packKey, entry, bytes, offset);
        var actual = ctx.hasher().hash(plain);
        if (!actual.equals(entry.id())) {
            throw new CorruptObjectException(packKey, "blob " + entry.id().hex() + " hashes to " + actual.hex());
        }
        return plain;
    }

    /** Decrypts and decodes one sealed blob found at {@code offset} of {@code bytes}. */
    public byte[] openBlob(String packKey, io.cloudconnector.scalez.pack.PackEntry entry, byte[] bytes, int offset) {
        byte[] plain;
        try {
            var stored = ctx.blobAead(entry.id()).open(bytes, offset, entry.length(), entry.aad());
            plain = Compressor.decompress(entry.codec(), stored, entry.rawLength());
        } catch (DecryptionException e) {
            throw new CorruptObjectException(
                    packKey, "blob " + entry.id().hex() + " does not decrypt: " + e.getMessage());
        } catch (ScalezException e) {
            throw new CorruptObjectException(
                    packKey, "blob " + entry.id().hex() + " does not decode: " + e.getMessage());
        }
        return plain;
    }
}
