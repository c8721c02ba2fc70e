package io.cloudconnector.scalez.hash;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chunk ids: HMAC-SHA256 of the plaintext under the repository MAC key, so that equal data dedups
 * inside one repository while ids reveal nothing across repositories. Thread-safe.
 */
public final class ChunkHasher {

    private final ThreadLocal<Mac> mac;

    public ChunkHasher(byte[] macKey) {
        if (macKey.length != 32) {
            throw new IllegalArgumentException("The MAC key must be 32 bytes");
        }
        var key = new SecretKeySpec(macKey.clone(), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                var m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    /** Compiles the HMAC-SHA256 path with its SHA intrinsic before the first large chunk; see Aead#warmUpSealing. */
    public static void warmUp() {
        var hasher = new ChunkHasher(new byte[32]);
        var message = new byte[1024];
        for (int i = 0; i < 20_000; i++) {
            hasher.hash(message);
        }
    }

    /** The id of {@code length} bytes of {@code data} from {@code offset}. */
    public ObjectId hash(byte[] data, int offset, int length) {
        var m = mac.get();
        m.update(data, offset, length);
        return ObjectId.fromBytes(m.doFinal(), 0);
    }

    /** The id of all of {@code data}. */
    public ObjectId hash(byte[] data) {
        return hash(data, 0, data.length);
    }
}
