package io.cloudconnector.scalez;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote; running past the end is a {@link FormatException}. */
public final class ByteReader {

    private final byte[] bytes;
    private final int end;
    private int position;

    public ByteReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public ByteReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    private int take(int n) {
        if (n < 0 || end - position < n) {
            throw new FormatException(
                    "Truncated: need " + n + " bytes at " + position + ", " + (end - position) + " left");
        }
        int at = position;
        position += n;
        return at;
    }

    /** One unsigned byte. */
    public int u8() {
        return bytes[take(1)] & 0xff;
    }

    /** Two bytes little-endian, unsigned. */
    public int u16() {
        int at = take(2);
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    /** Four bytes little-endian. */
    public int u32() {
        int at = take(4);
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | (bytes[at + i] & 0xff);
        }
        return v;
    }

    /** Eight bytes little-endian. */
    public long u64() {
        int at = take(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (bytes[at + i] & 0xff);
        }
        return v;
    }

    /** {@code n} raw bytes. */
    public byte[] bytes(int n) {
        int at = take(n);
        return Arrays.copyOfRange(bytes, at, at + n);
    }

    /** A u16-length-prefixed UTF-8 string. */
    public String str() {
        int n = u16();
        int at = take(n);
        return new String(bytes, at, n, StandardCharsets.UTF_8);
    }

    /** Checks a magic number. */
    public void expect(byte[] magic, String what) {
        var actual = bytes(magic.length);
        if (!Arrays.equals(actual, magic)) {
            throw new FormatException("Not a " + what + ": bad magic");
        }
    }

    /** Checks a magic number and a format version byte: every object of the format starts with both. */
    public void expectHeader(byte[] magic, int version, String what) {
        expect(magic, what);
        int actual = u8();
        if (actual != version) {
            throw new FormatException("Unsupported " + what + " version " + actual);
        }
    }

    /** The underlying array and the current position, for decoders that read ids in place. */
    public byte[] array() {
        return bytes;
    }

    /** Current offset into {@link #array()}. */
    public int position() {
        return position;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) {
        take(n);
    }

    /** Bytes left. */
    public int remaining() {
        return end - position;
    }

    /** Fails unless everything was read: trailing bytes mean the object is not what it claims. */
    public void expectEnd(String what) {
        if (position != end) {
            throw new FormatException(what + " has " + (end - position) + " unexpected trailing bytes");
        }
    }
}
