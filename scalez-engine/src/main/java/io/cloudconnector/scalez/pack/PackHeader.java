package io.cloudconnector.scalez.pack;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The plaintext pack header: {@code "SCZP" | version | count | entries}. Entries are in pack order, so
 * offsets are implied by the lengths before them and are not stored.
 */
public final class PackHeader {

    /** The AAD of a sealed pack header. */
    public static final byte[] AAD = "SCZP".getBytes(StandardCharsets.US_ASCII);

    private static final int VERSION = 1;
    /** Bytes after the sealed header: its length, u32 little-endian. */
    public static final int TRAILER_LENGTH = 4;

    private PackHeader() {}

    /** Encodes entries that start at offset 0 and follow each other without gaps. */
    public static byte[] encode(List<PackEntry> entries) {
        var out = new ByteWriter(9 + entries.size() * PackEntry.ENCODED_LENGTH)
                .bytes(AAD)
                .u8(VERSION)
                .u32(entries.size());
        long expected = 0;
        for (var e : entries) {
            if (e.offset() != expected) {
                throw new IllegalArgumentException("Pack entries must be contiguous from 0");
            }
            out.u8(e.type().code())
                    .u8(e.codec().code())
                    .u32(e.rawLength())
                    .u32(e.length())
                    .bytes(e.id().toBytes());
            expected += e.length();
        }
        return out.toByteArray();
    }

    /** Decodes a plaintext header, computing each entry's offset. */
    public static List<PackEntry> decode(byte[] plain) {
        var in = new ByteReader(plain);
        in.expectHeader(AAD, VERSION, "pack header");
        int count = in.u32();
        if (count < 0 || (long) count * PackEntry.ENCODED_LENGTH != in.remaining()) {
            throw new FormatException(
                    "Pack header claims " + count + " entries but has " + in.remaining() + " bytes of them");
        }
        var entries = new ArrayList<PackEntry>(count);
        long offset = 0;
        for (int i = 0; i < count; i++) {
            var type = BlobType.ofCode(in.u8());
            Codec codec;
            try {
                codec = Codec.ofCode(in.u8());
            } catch (IllegalArgumentException e) {
                throw new FormatException(e.getMessage());
            }
            int raw = in.u32();
            int length = in.u32();
            if (length < 0 || raw < 0) {
                throw new FormatException("Negative blob length in pack header");
            }
            var id = ObjectId.fromBytes(in.array(), in.position());
            in.skip(ObjectId.LENGTH);
            entries.add(new PackEntry(id, type, codec, raw, offset, length));
            offset += length;
        }
        return entries;
    }

    /** Length of a pack whose header lists {@code entries}: blobs, sealed header (nonce, tag) and trailer. */
    public static long packLength(List<PackEntry> entries, int aeadOverhead) {
        long blobs = 0;
        for (var e : entries) {
            blobs += e.length();
        }
        return blobs + 9 + (long) entries.size() * PackEntry.ENCODED_LENGTH + aeadOverhead + TRAILER_LENGTH;
    }

    /** The sealed header's length, from a pack's last 4 bytes. */
    public static int sealedHeaderLength(byte[] trailer) {
        if (trailer.length != TRAILER_LENGTH) {
            throw new FormatException("Pack trailer is " + trailer.length + " bytes");
        }
        return new ByteReader(trailer).u32();
    }
}
