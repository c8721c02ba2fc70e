package io.cloudconnector.scalez.index;

import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where every chunk of a repository lives. An open-addressing table over parallel primitive arrays
 * (about 60 bytes a chunk instead of ~250 for a HashMap of records), because a backup holds the whole
 * repository's index in memory. The first location added for an id wins. Thread-safe.
 */
public final class ChunkIndex {

    private long[] ids = new long[4 * 1024];
    private int[] packs = new int[1024];
    private int[] offsets = new int[1024];
    private int[] lengths = new int[1024];
    private int[] rawLengths = new int[1024];
    private byte[] kinds = new byte[1024];
    private int size;
    private int[] table = new int[2048];
    private final List<ObjectId> packIds = new ArrayList<>();
    private final Map<ObjectId, Integer> packNumbers = new HashMap<>();

    /** Adds every entry of a pack; returns how many ids were new. */
    public synchronized int addPack(ObjectId packId, List<PackEntry> entries) {
        int added = 0;
        for (var e : entries) {
            if (add(packId, e)) {
                added++;
            }
        }
        return added;
    }

    /** Adds one location; {@code false} if the id already had one. */
    public synchronized boolean add(ObjectId packId, PackEntry entry) {
        int slot = slot(entry.id());
        if (table[slot] != 0) {
            return false;
        }
        if (size == packs.length) {
            grow();
        }
        int pack = packNumbers.computeIfAbsent(packId, p -> {
            packIds.add(p);
            return packIds.size() - 1;
        });
        var id = entry.id();
        ids[4 * size] = id.a();
        ids[4 * size + 1] = id.b();
        ids[4 * size + 2] = id.c();
        ids[4 * size + 3] = id.d();
        packs[size] = pack;
        offsets[size] = Math.toIntExact(entry.offset());
        lengths[size] = entry.length();
        rawLengths[size] = entry.rawLength();
        kinds[size] = (byte) (entry.type().code() << 4 | entry.codec().code());
        size++;
        table[slot] = size;
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
        return true;
    }

    /** Where {@code id} is stored, or {@code null}. */
    public synchronized @Nullable Location find(ObjectId id) {
        int n = table[slot(id)];
        if (n == 0) {
            return null;
        }
        int i = n - 1;
        var entry = new PackEntry(
                id,
                BlobType.ofCode(kinds[i] >> 4),
                Codec.ofCode(kinds[i] & 0xf),
                rawLengths[i],
                Integer.toUnsignedLong(offsets[i]),
                lengths[i]);
        return new Location(packIds.get(packs[i]), entry);
    }

    /** Whether {@code id} is stored somewhere. */
    public synchronized boolean contains(ObjectId id) {
        return table[slot(id)] != 0;
    }

    /** Number of chunks. */
    public synchronized int size() {
        return size;
    }

    /** Every pack that holds at least one indexed chunk. */
    public synchronized List<ObjectId> packs() {
        return List.copyOf(packIds);
    }

    // The slot holding id, or the empty slot where it would go.
    private int slot(ObjectId id) {
        int mask = table.length - 1;
        int s = (int) (id.a() ^ id.a() >>> 32 ^ id.b()) & mask;
        while (true) {
            int n = table[s];
            if (n == 0) {
                return s;
            }
            int i = 4 * (n - 1);
            if (ids[i] == id.a() && ids[i + 1] == id.b() && ids[i + 2] == id.c() && ids[i + 3] == id.d()) {
                return s;
            }
            s = (s + 1) & mask;
        }
    }

    private void grow() {
        int capacity = packs.length * 2;
        ids = Arrays.copyOf(ids, 4 * capacity);
        packs = Arrays.copyOf(packs, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
        rawLengths = Arrays.copyOf(rawLengths, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int i = 0; i < size; i++) {
            table[slot(new ObjectId(ids[4 * i], ids[4 * i + 1], ids[4 * i + 2], ids[4 * i + 3]))] = i + 1;
        }
    }

    /** A chunk's pack and entry. */
    public record Location(ObjectId packId, PackEntry entry) {}
}
