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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        var location = locate(id);
        var key = Pack.key(location.packId());
        var entry = location.entry();
        var sealed = sealed(key, entry);
        return openBlob(key, entry, sealed, 0);
    }

    private ChunkIndex.Location locate(ObjectId id) {
        var location = index.find(id);
        if (location == null) {
            throw new MissingChunkException(id.hex());
        }
        return location;
    }

    /** The sealed bytes of {@code entry} in pack {@code key}: one range read, its length checked. */
    private byte[] sealed(String key, io.cloudconnector.scalez.pack.PackEntry entry) {
        byte[] sealed;
        try {
            sealed = ctx.store().getRange(key, entry.offset(), entry.length());
        } catch (BlobNotFoundException e) {
            throw new CorruptObjectException(
                    key, "missing, but the index lists chunk " + entry.id().hex() + " in it");
        }
        if (sealed.length != entry.length()) {
            throw new CorruptObjectException(
                    key,
                    "truncated: blob " + entry.id().hex() + " at " + entry.offset() + " has " + sealed.length + " of "
                            + entry.length() + " bytes");
        }
        return sealed;
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
        var location = locate(id);
        var key = Pack.key(location.packId());
        var entry = location.entry();
        if (entry.rawLength() != length) {
            throw new ScalezException("Chunk " + id.hex() + " is " + entry.rawLength() + " bytes, expected " + length);
        }
        var sealed = sealed(key, entry);
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

    /** The most one read of neighbouring blobs spans ({@link #loadAll}). */
    public static final int MAX_SPAN = 8 << 20;

    /**
     * The plaintexts of {@code ids} (zero ids: {@code zeroLength} zeros each), reading the blobs that lie next to each
     * other in one pack with one range read of up to {@link #MAX_SPAN} bytes instead of one read each. A sequential
     * read of a point asks for chunks that a backup wrote one after the other, so most of a request's chunks come in
     * a few reads. Returns them keyed by id.
     */
    public Map<ObjectId, byte[]> loadAll(List<ObjectId> ids, int zeroLength) {
        var result = new HashMap<ObjectId, byte[]>();
        var located = new ArrayList<ChunkIndex.Location>();
        for (var id : ids) {
            if (id.isZero()) {
                result.put(id, new byte[zeroLength]);
            } else if (!result.containsKey(id)) {
                located.add(locate(id));
                result.put(id, new byte[0]);
            }
        }
        located.sort(Comparator.comparing((ChunkIndex.Location l) -> l.packId().hex())
                .thenComparingLong(l -> l.entry().offset()));
        int i = 0;
        while (i < located.size()) {
            var first = located.get(i);
            int j = i + 1;
            long end = first.entry().offset() + first.entry().length();
            while (j < located.size()) {
                var next = located.get(j);
                long nextEnd = next.entry().offset() + next.entry().length();
                if (!next.packId().equals(first.packId())
                        || next.entry().offset() != end
                        || nextEnd - first.entry().offset() > MAX_SPAN) {
                    break;
                }
                end = nextEnd;
                j++;
            }
            var key = Pack.key(first.packId());
            long start = first.entry().offset();
            int spanLength = (int) (end - start);
            byte[] span;
            try {
                span = ctx.store().getRange(key, start, spanLength);
            } catch (BlobNotFoundException e) {
                throw new CorruptObjectException(
                        key,
                        "missing, but the index lists chunk "
                                + first.entry().id().hex() + " in it");
            }
            if (span.length != spanLength) {
                throw new CorruptObjectException(
                        key, "truncated: " + span.length + " of " + spanLength + " bytes at " + start);
            }
            for (int k = i; k < j; k++) {
                var entry = located.get(k).entry();
                result.put(entry.id(), openBlob(key, entry, span, (int) (entry.offset() - start)));
            }
            i = j;
        }
        return result;
    }
}
