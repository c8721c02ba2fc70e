package io.cloudconnector.scalez.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/** A repository's master key set: the AES-256 data key and the HMAC-SHA256 MAC key, 32 bytes each. */
public record MasterKeys(byte[] dataKey, byte[] macKey) {

    /** Encoded length: data key then MAC key. */
    public static final int LENGTH = 64;

    public MasterKeys {
        if (dataKey.length != 32 || macKey.length != 32) {
            throw new IllegalArgumentException("Master keys are two 32-byte keys");
        }
    }

    /** Two fresh random keys. */
    public static MasterKeys generate() {
        var random = new SecureRandom();
        var data = new byte[32];
        var mac = new byte[32];
        random.nextBytes(data);
        random.nextBytes(mac);
        return new MasterKeys(data, mac);
    }

    static MasterKeys decode(byte[] encoded) {
        if (encoded.length != LENGTH) {
            throw new DecryptionException("Master key set is " + encoded.length + " bytes, expected " + LENGTH);
        }
        return new MasterKeys(Arrays.copyOfRange(encoded, 0, 32), Arrays.copyOfRange(encoded, 32, 64));
    }

    byte[] encode() {
        var out = new byte[LENGTH];
        System.arraycopy(dataKey, 0, out, 0, 32);
        System.arraycopy(macKey, 0, out, 32, 32);
        return out;
    }

    @Override
    public String toString() {
        return "MasterKeys[redacted]";
    }
}
