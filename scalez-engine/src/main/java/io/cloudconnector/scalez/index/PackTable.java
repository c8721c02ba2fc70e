package io.cloudconnector.scalez.index;

import io.cloudconnector.scalez.hash.ObjectId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pack ids numbered in the order they were first seen: an open-addressing table over a {@code long[]} (about 40
 * bytes a pack instead of ~150 for a list plus a HashMap of ObjectIds). Not thread-safe: {@link ChunkIndex} guards
 * it.
 */
final class PackTable {

    private long[] ids = new long[4 * 256];
    private int size;
    private int[] table = new int[512];

    /** The number of {@code id}, giving it the next one if it is new. */
    int number(ObjectId id) {
        int slot = slot(id.a(), id.b(), id.c(), id.d());
        if (table[slot] != 0) {
            return table[slot] - 1;
        }
        if (4 * size == ids.length) {
            // By half, not double: at 20 M chunks there are over a million packs.
            ids = Arrays.copyOf(ids, 4 * (size + size / 2));
        }
        ids[4 * size] = id.a();
        ids[4 * size + 1] = id.b();
        ids[4 * size + 2] = id.c();
        ids[4 * size + 3] = id.d();
        size++;
        table[slot] = size;
        if (size * 4L > table.length * 3L) {
            table = new int[table.length * 2];
            for (int i = 0; i < size; i++) {
                table[slot(ids[4 * i], ids[4 * i + 1], ids[4 * i + 2], ids[4 * i + 3])] = i + 1;
            }
        }
        return size - 1;
    }

    boolean contains(ObjectId id) {
        return table[slot(id.a(), id.b(), id.c(), id.d())] != 0;
    }

    ObjectId get(int number) {
        int i = 4 * number;
        return new ObjectId(ids[i], ids[i + 1], ids[i + 2], ids[i + 3]);
    }

    int size() {
        return size;
    }

    List<ObjectId> all() {
        var all = new ArrayList<ObjectId>(size);
        for (int i = 0; i < size; i++) {
            all.add(get(i));
        }
        return all;
    }

    private int slot(long a, long b, long c, long d) {
        return IdSlots.slot(table, ids, a, b, c, d);
    }
}
