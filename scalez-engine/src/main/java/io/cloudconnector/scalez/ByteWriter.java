package io.cloudconnector.scalez;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer for the format's encoders. */
public final class ByteWriter {

    private byte[] bytes;
    private int size;

    public ByteWriter(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }

    /** Appends one byte. */
    public ByteWriter u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    /** Appends 2 bytes, little-endian. */
    public ByteWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("Does not fit in 16 bits: " + v);
        }
        return u8(v).u8(v >>> 8);
    }

    /** Appends 4 bytes, little-endian. */
    public ByteWriter u32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Appends 8 bytes, little-endian. */
    public ByteWriter u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Appends raw bytes. */
    public ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /** Appends {@code length} raw bytes from {@code offset}. */
    public ByteWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
        return this;
    }

    /** Appends a string as a u16 length and its UTF-8 bytes. */
    public ByteWriter str(String s) {
        var utf8 = s.getBytes(StandardCharsets.UTF_8);
        return u16(utf8.length).bytes(utf8);
    }

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** Forgets everything written, keeping the buffer. */
    public void clear() {
        size = 0;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
