package io.cloudconnector.scalez.chunk;

/**
 * FastCDC content-defined chunking (Xia et al., 2016/2020): a Gear rolling hash with normalized
 * chunking, i.e. a stricter mask before the average size and a looser one after it, which keeps
 * chunk sizes close to the average.
 */
public final class FastCdc {

    private static final int NORMALIZATION = 2;

    private final ChunkSizes sizes;
    private final long[] gear;
    private final long maskSmall;
    private final long maskLarge;

    public FastCdc(ChunkSizes sizes, GearTable gear) {
        this.sizes = sizes;
        this.gear = gear.values();
        int bits = Integer.numberOfTrailingZeros(sizes.avg());
        // The Gear hash shifts left, so its high bits depend on the most bytes: test those.
        this.maskSmall = highBits(bits + NORMALIZATION);
        this.maskLarge = highBits(bits - NORMALIZATION);
    }

    private static long highBits(int n) {
        return n == 0 ? 0 : -1L << (64 - n);
    }

    /** The sizes this chunker cuts to. */
    public ChunkSizes sizes() {
        return sizes;
    }

    /**
     * The length of the chunk that starts at {@code offset}: a content-defined cut point, or {@code length}
     * itself when fewer than {@code min} bytes remain, or {@code max} when no cut point is found.
     * Callers must pass at least {@code max} bytes unless the data ends sooner.
     */
    public int cut(byte[] data, int offset, int length) {
        if (length <= sizes.min()) {
            return length;
        }
        int end = Math.min(length, sizes.max());
        int normal = Math.min(sizes.avg(), end);
        long hash = 0;
        int i = sizes.min();
        for (; i < normal; i++) {
            hash = (hash << 1) + gear[data[offset + i] & 0xff];
            if ((hash & maskSmall) == 0) {
                return i + 1;
            }
        }
        for (; i < end; i++) {
            hash = (hash << 1) + gear[data[offset + i] & 0xff];
            if ((hash & maskLarge) == 0) {
                return i + 1;
            }
        }
        return end;
    }
}
