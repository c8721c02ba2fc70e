package io.cloudconnector.filesystems;

/**
 * Little- and big-endian field access into on-disk structures. A field outside its structure (an offset
 * read from damaged metadata) is corrupt metadata, not a programming error.
 */
final class Le {

    private Le() {}

    /** Throws unless {@code n} bytes at {@code at} lie within {@code b}. */
    static void check(byte[] b, long at, long n) {
        if (at < 0 || n < 0 || at > b.length - n) {
            throw new CorruptFileSystemException(
                    n + " bytes at " + at + " lie outside a " + b.length + "-byte structure");
        }
    }

    static int u8(byte[] b, int at) {
        check(b, at, 1);
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        check(b, at, 2);
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int at) {
        check(b, at, 4);
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    static long u64(byte[] b, int at) {
        check(b, at, 8);
        return u32(b, at) | u32(b, at + 4) << 32;
    }

    /** An unsigned little-endian number of {@code n} bytes (n ≤ 8). */
    static long unsigned(byte[] b, int at, int n) {
        check(b, at, n);
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
        check(b, at, 4);
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    /** {@code chars} UTF-16LE characters at {@code at}. */
    static String utf16(byte[] b, int at, int chars) {
        check(b, at, 2L * chars);
        return new String(b, at, chars * 2, java.nio.charset.StandardCharsets.UTF_16LE);
    }

    static boolean ascii(byte[] b, int at, String expected) {
        if (at < 0 || at + expected.length() > b.length) {
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
