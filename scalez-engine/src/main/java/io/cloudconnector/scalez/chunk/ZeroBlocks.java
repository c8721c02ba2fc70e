package io.cloudconnector.scalez.chunk;

import java.util.Arrays;

/** Detects all-zero data, which the format never stores. */
public final class ZeroBlocks {

    /** The fixed block size of block-device backups: 512 KiB, the EBS block size. */
    public static final int BLOCK_SIZE = 512 * 1024;

    private static final byte[] ZEROS = new byte[64 * 1024];

    private ZeroBlocks() {}

    /** Whether the first {@code length} bytes of {@code data} are all zero. */
    public static boolean isZero(byte[] data, int length) {
        for (int off = 0; off < length; off += ZEROS.length) {
            int n = Math.min(ZEROS.length, length - off);
            // Arrays.mismatch is vectorized by the JIT; a byte loop is several times slower.
            if (Arrays.mismatch(data, off, off + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }
}
