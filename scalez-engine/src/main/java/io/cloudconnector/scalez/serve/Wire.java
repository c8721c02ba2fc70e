package io.cloudconnector.scalez.serve;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.remote.SealedBlob;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary bodies of the server protocol (little-endian, like the storage format): a list of chunk ids is
 * their 32-byte concatenation; a list of blobs is frames {@code id | u8 type | u8 codec | u32 rawLength |
 * u32 length | sealed}. Also the paths and headers both sides use.
 */
final class Wire {

    static final String SESSIONS = "/v1/sessions";
    static final String HEALTH = "/healthz";
    static final String STATUS = "/v1/status";
    static final String SESSION_HEADER = "Scalez-Session";
    static final String ERROR_HEADER = "Scalez-Error";
    static final String STORED_HEADER = "Scalez-Stored-Bytes";
    static final String MAX_REQUEST_HEADER = "Scalez-Max-Request-Bytes";
    static final String OCTETS = "application/octet-stream";

    /** Bytes of a blob frame before its sealed bytes. */
    static final int FRAME_HEADER = ObjectId.LENGTH + 1 + 1 + 4 + 4;

    private Wire() {}

    static byte[] ids(List<ObjectId> ids) {
        var out = new ByteWriter(ids.size() * ObjectId.LENGTH);
        ids.forEach(id -> out.bytes(id.toBytes()));
        return out.toByteArray();
    }

    static List<ObjectId> ids(byte[] body) {
        if (body.length % ObjectId.LENGTH != 0) {
            throw new FormatException("An id list of " + body.length + " bytes is not a multiple of 32");
        }
        var ids = new ArrayList<ObjectId>(body.length / ObjectId.LENGTH);
        for (int at = 0; at < body.length; at += ObjectId.LENGTH) {
            ids.add(ObjectId.fromBytes(body, at));
        }
        return ids;
    }

    static byte[] blobs(List<SealedBlob> blobs) {
        int size =
                blobs.stream().mapToInt(b -> FRAME_HEADER + b.sealed().length).sum();
        var out = new ByteWriter(size);
        for (var b : blobs) {
            out.bytes(b.id().toBytes())
                    .u8(b.type())
                    .u8(b.codec())
                    .u32(b.rawLength())
                    .u32(b.sealed().length)
                    .bytes(b.sealed());
        }
        return out.toByteArray();
    }

    static List<SealedBlob> blobs(byte[] body) {
        var in = new ByteReader(body);
        var blobs = new ArrayList<SealedBlob>();
        while (in.remaining() > 0) {
            if (in.remaining() < FRAME_HEADER) {
                throw new FormatException("A blob frame is cut short");
            }
            var id = ObjectId.fromBytes(in.bytes(ObjectId.LENGTH), 0);
            int type = in.u8();
            int codec = in.u8();
            int rawLength = in.u32();
            int length = in.u32();
            if (length < 0 || length > in.remaining()) {
                throw new FormatException("Blob " + id.shortHex() + " claims " + Integer.toUnsignedString(length)
                        + " bytes but " + in.remaining() + " remain");
            }
            blobs.add(new SealedBlob(id, type, codec, rawLength, in.bytes(length)));
        }
        return blobs;
    }
}
