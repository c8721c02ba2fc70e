package io.cloudconnector.scalez.chunk;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 256 random 64-bit values of the Gear rolling hash, derived from a per-repository seed so that
 * chunk boundaries (and with them chunk sizes) cannot be predicted without the repository's keys.
 */
public final class GearTable {

    private final long[] values;

    private GearTable(long[] values) {
        this.values = values;
    }

    /** {@code gear[i]} = the first 8 bytes, big-endian, of SHA-256(seed || i as 4 bytes little-endian). */
    public static GearTable fromSeed(byte[] seed) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            var values = new long[256];
            var counter = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 256; i++) {
                sha.update(seed);
                sha.update(counter.clear().putInt(i).array());
                values[i] = ByteBuffer.wrap(sha.digest()).getLong();
            }
            return new GearTable(values);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    long at(int b) {
        return values[b];
    }

    long[] values() {
        return values;
    }
}
