package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.crypto.Aead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * {@code retention/<rp-id>}: a recovery point's lock end as changed after its backup (extended, or shortened or
 * lifted under governance), since the manifest itself is never rewritten. Sealed with the data key, the point's id
 * in the AAD, so nobody without the key can shorten a point's lock in the engine's eyes (storage-format §7.3).
 * Rewritten in place on each change; the newest version is the one that counts.
 */
public final class LockOverride {

    private static final byte[] MAGIC = "SCZR".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private LockOverride() {}

    public static String key(String id) {
        return "retention/" + id;
    }

    public static byte[] seal(String id, Instant lockedUntil, Aead aead) {
        var header = new ByteWriter(64).bytes(MAGIC).u8(VERSION).str(id).toByteArray();
        var body = new ByteWriter(8).u64(lockedUntil.toEpochMilli()).toByteArray();
        return new ByteWriter(header.length + body.length + Aead.OVERHEAD)
                .bytes(header)
                .bytes(aead.seal(body, header))
                .toByteArray();
    }

    public static Instant open(String expectedId, byte[] stored, Aead aead) {
        var in = new ByteReader(stored);
        in.expectHeader(MAGIC, VERSION, "retention override");
        if (!in.str().equals(expectedId)) {
            throw new FormatException("Retention override names another recovery point");
        }
        int headerLength = in.position();
        var body = new ByteReader(
                aead.open(stored, headerLength, stored.length - headerLength, Arrays.copyOf(stored, headerLength)));
        var until = Instant.ofEpochMilli(body.u64());
        body.expectEnd("retention override");
        return until;
    }
}
