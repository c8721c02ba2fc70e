package io.cloudconnector.integrity.scan.fs;

/** Little- and big-endian field access into on-disk structures. */
final class Le {

    private Le() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    static long u64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }

    /** An unsigned little-endian number of {@code n} bytes (n ≤ 8). */
    static long unsigned(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** A signed little-endian number of {@code n} bytes (n ≤ 8). */
    static long signed(byte[] b, int at, int n) {
        if (n == 0) {
            return 0;
        }
        long v = unsigned(b, at, n);
        int shift = 64 - 8 * n;
        return v << shift >> shift;
    }

    static long be32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    static boolean ascii(byte[] b, int at, String expected) {
        if (at + expected.length() > b.length) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (b[at + i] != (byte) expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
