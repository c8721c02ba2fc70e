package io.cloudconnector.scalez.hash;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A 32-byte id: a chunk id (HMAC-SHA256 of the plaintext) or the SHA-256 of a stored object (pack,
 * index and key files are named by it). Held as four longs so that it is a value with cheap equality.
 */
public record ObjectId(long a, long b, long c, long d) implements Comparable<ObjectId> {

    /** Length of an id in bytes. */
    public static final int LENGTH = 32;

    /** The id of an all-zero chunk: such chunks are never stored, only referenced by this id. */
    public static final ObjectId ZERO = new ObjectId(0, 0, 0, 0);

    /** Reads an id from 32 bytes at {@code offset}. */
    public static ObjectId fromBytes(byte[] bytes, int offset) {
        var buffer = ByteBuffer.wrap(bytes, offset, LENGTH);
        return new ObjectId(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    /** Reads an id from the next 32 bytes of {@code buffer}. */
    public static ObjectId read(ByteBuffer buffer) {
        return new ObjectId(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    /** Parses 64 lowercase hex digits. */
    public static ObjectId parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("Not a 64-digit hex id: " + hex);
        }
        return fromBytes(HexFormat.of().parseHex(hex), 0);
    }

    /** The SHA-256 of {@code data}, the name of content-addressed objects. */
    public static ObjectId sha256(byte[] data) {
        try {
            return fromBytes(MessageDigest.getInstance("SHA-256").digest(data), 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Writes the id's 32 bytes into {@code buffer}. */
    public ByteBuffer write(ByteBuffer buffer) {
        return buffer.putLong(a).putLong(b).putLong(c).putLong(d);
    }

    /** The id's 32 bytes. */
    public byte[] toBytes() {
        return write(ByteBuffer.allocate(LENGTH)).array();
    }

    /** Whether this is the id of all-zero data. */
    public boolean isZero() {
        return equals(ZERO);
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The first 8 hex digits, for messages. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public int compareTo(ObjectId o) {
        int r = Long.compareUnsigned(a, o.a);
        if (r == 0) {
            r = Long.compareUnsigned(b, o.b);
        }
        if (r == 0) {
            r = Long.compareUnsigned(c, o.c);
        }
        return r != 0 ? r : Long.compareUnsigned(d, o.d);
    }

    @Override
    public String toString() {
        return hex();
    }
}
