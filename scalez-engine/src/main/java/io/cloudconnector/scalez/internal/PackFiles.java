package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.ChunkIndex;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.pack.PackHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reading pack headers, from a whole pack or with two range reads of its tail. */
public final class PackFiles {

    private PackFiles() {}

    /** The pack id named by a key {@code packs/xx/<id>}, or null for a key that is not a pack. */
    public static @Nullable ObjectId idOf(String key) {
        var slash = key.lastIndexOf('/');
        var name = key.substring(slash + 1);
        if (!key.startsWith("packs/")
                || name.length() != 64
                || !key.equals(io.cloudconnector.scalez.pack.Pack.key(parse(name)))) {
            return null;
        }
        return parse(name);
    }

    private static ObjectId parse(String hex) {
        try {
            return ObjectId.parse(hex);
        } catch (IllegalArgumentException e) {
            return ObjectId.ZERO;
        }
    }

    /**
     * Packs no index lists were uploaded by a writer that died (or is still running) before writing its index.
     * Reading their headers lets a writer reuse their chunks instead of uploading them again: they are added to
     * {@code index}, and the writer's next index file lists them. {@code listed} are packs known besides those in
     * {@code index} (every pack of an index file loaded into {@code index} is in it already); damaged or vanished
     * packs are skipped (check reports damage, prune removes it).
     */
    public static List<PackContents> adoptOrphans(
            RepositoryContext ctx, ChunkIndex index, Collection<ObjectId> listed) {
        var known = new HashSet<>(listed);
        var adopted = new ArrayList<PackContents>();
        for (var info : ctx.store().list("packs/")) {
            var id = idOf(info.key());
            if (id == null || index.hasPack(id) || known.contains(id)) {
                continue;
            }
            try {
                var entries = readHeader(ctx, info.key(), info.size());
                index.addPack(id, entries);
                adopted.add(new PackContents(id, entries));
            } catch (ScalezException e) {
                // Damaged or vanished: not reusable.
            }
        }
        return adopted;
    }

    /** Header of a pack of {@code size} bytes, read with range reads. */
    public static List<PackEntry> readHeader(RepositoryContext ctx, String key, long size) {
        if (size < PackHeader.TRAILER_LENGTH + Aead.OVERHEAD) {
            throw new CorruptObjectException(key, "only " + size + " bytes, too short for a pack");
        }
        var trailer = ctx.store().getRange(key, size - PackHeader.TRAILER_LENGTH, PackHeader.TRAILER_LENGTH);
        int headerLength = PackHeader.sealedHeaderLength(trailer);
        long start = size - PackHeader.TRAILER_LENGTH - headerLength;
        if (headerLength < Aead.OVERHEAD || start < 0) {
            throw new CorruptObjectException(
                    key, "trailer gives header length " + headerLength + " for a pack of " + size + " bytes");
        }
        var sealed = ctx.store().getRange(key, start, headerLength);
        return openHeader(ctx, key, sealed, 0, sealed.length, start);
    }

    /** Header of a whole pack in memory. */
    public static List<PackEntry> parseHeader(RepositoryContext ctx, String key, byte[] pack) {
        if (pack.length < PackHeader.TRAILER_LENGTH + Aead.OVERHEAD) {
            throw new CorruptObjectException(key, "only " + pack.length + " bytes, too short for a pack");
        }
        int headerLength = PackHeader.sealedHeaderLength(Arrays.copyOfRange(pack, pack.length - 4, pack.length));
        int start = pack.length - PackHeader.TRAILER_LENGTH - headerLength;
        if (headerLength < Aead.OVERHEAD || start < 0) {
            throw new CorruptObjectException(
                    key, "trailer gives header length " + headerLength + " for a pack of " + pack.length + " bytes");
        }
        return openHeader(ctx, key, pack, start, headerLength, start);
    }

    private static List<PackEntry> openHeader(
            RepositoryContext ctx, String key, byte[] bytes, int offset, int length, long blobsEnd) {
        List<PackEntry> entries;
        try {
            entries = PackHeader.decode(ctx.aead().open(bytes, offset, length, PackHeader.AAD));
        } catch (DecryptionException e) {
            throw new CorruptObjectException(key, "header does not decrypt: " + e.getMessage());
        } catch (FormatException e) {
            throw new CorruptObjectException(key, "header is malformed: " + e.getMessage());
        }
        long sum = entries.stream().mapToLong(PackEntry::length).sum();
        if (sum != blobsEnd) {
            throw new CorruptObjectException(key, "header lists " + sum + " bytes of blobs but they take " + blobsEnd);
        }
        return entries;
    }
}
