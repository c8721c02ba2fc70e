package io.cloudconnector.scalez.pack;

import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;

/** One sealed blob in a pack: its chunk id, type, codec, plaintext length, and where its sealed bytes are. */
public record PackEntry(ObjectId id, BlobType type, Codec codec, int rawLength, long offset, int length) {

    /** Bytes of one entry in a pack header. */
    public static final int ENCODED_LENGTH = 1 + 1 + 4 + 4 + ObjectId.LENGTH;

    /** The AAD a blob is sealed with: chunk id, type, codec and plaintext length, so that none can be swapped. */
    public byte[] aad() {
        return aad(id, type, codec, rawLength);
    }

    /** The AAD for a blob about to be sealed. */
    public static byte[] aad(ObjectId id, BlobType type, Codec codec, int rawLength) {
        var out = new ByteWriter(ObjectId.LENGTH + 6)
                .bytes(id.toBytes())
                .u8(type.code())
                .u8(codec.code())
                .u32(rawLength);
        return out.toByteArray();
    }
}
