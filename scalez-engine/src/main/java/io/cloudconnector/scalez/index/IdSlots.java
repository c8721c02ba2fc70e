package io.cloudconnector.scalez.index;

/**
 * The open-addressing probe that {@link ChunkIndex} and {@link PackTable} share: ids are stored as four longs each in
 * {@code ids}, and {@code table} (a power of two long, never full) holds 1 + an id's position or 0 for an empty slot.
 */
final class IdSlots {

    private IdSlots() {}

    /** The slot of {@code table} holding the id {@code a b c d}, or the empty slot where it would go. */
    static int slot(int[] table, long[] ids, long a, long b, long c, long d) {
        int mask = table.length - 1;
        int s = (int) (a ^ a >>> 32 ^ b) & mask;
        while (true) {
            int n = table[s];
            if (n == 0) {
                return s;
            }
            int i = 4 * (n - 1);
            if (ids[i] == a && ids[i + 1] == b && ids[i + 2] == c && ids[i + 3] == d) {
                return s;
            }
            s = (s + 1) & mask;
        }
    }
}
