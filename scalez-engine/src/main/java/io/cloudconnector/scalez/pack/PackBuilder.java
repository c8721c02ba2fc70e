package io.cloudconnector.scalez.pack;

import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Collects sealed blobs into one pack. Not thread-safe: the repository serializes appends. */
public final class PackBuilder {

    private final ByteWriter data;
    private final List<PackEntry> entries = new ArrayList<>();

    public PackBuilder(int expectedSize) {
        this.data = new ByteWriter(expectedSize);
    }

    /** Appends a sealed blob and returns its entry. */
    public PackEntry add(ObjectId id, BlobType type, Codec codec, int rawLength, byte[] sealed) {
        var entry = new PackEntry(id, type, codec, rawLength, data.size(), sealed.length);
        data.bytes(sealed);
        entries.add(entry);
        return entry;
    }

    /** As {@link #add(ObjectId, BlobType, Codec, int, byte[])}, copying {@code length} sealed bytes from {@code offset}. */
    public PackEntry add(
            ObjectId id, BlobType type, Codec codec, int rawLength, byte[] sealed, int offset, int length) {
        var entry = new PackEntry(id, type, codec, rawLength, data.size(), length);
        data.bytes(sealed, offset, length);
        entries.add(entry);
        return entry;
    }

    /** Bytes of blobs so far. */
    public int size() {
        return data.size();
    }

    /** Whether no blob was added. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Appends the header sealed by {@code sealHeader} and the trailer, and names the pack by its SHA-256. */
    public Pack finish(UnaryOperator<byte[]> sealHeader) {
        var sealed = sealHeader.apply(PackHeader.encode(entries));
        data.bytes(sealed).u32(sealed.length);
        var bytes = data.toByteArray();
        return new Pack(ObjectId.sha256(bytes), bytes, List.copyOf(entries));
    }
}
