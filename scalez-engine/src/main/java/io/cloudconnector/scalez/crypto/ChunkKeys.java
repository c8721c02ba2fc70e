package io.cloudconnector.scalez.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * Format 2's key per chunk: {@code chunkKey(id) = HKDF-SHA256(ikm = dataKey, salt = "ScaleZ chunk keys v2", info =
 * chunk id, 32 bytes)} (RFC 5869). A chunk id names one plaintext, so a chunk key seals the same content only as
 * often as writers race to store it, and no key comes near the 2^32 random-nonce limit of AES-GCM however much a
 * repository holds: the data key itself seals only metadata (config, pack headers, index files, manifests).
 * Thread-safe.
 */
public final class ChunkKeys {

    /** HKDF salt: separates these keys from anything else derived from the data key. */
    static final byte[] SALT = "ScaleZ chunk keys v2".getBytes(StandardCharsets.US_ASCII);

    private static final int KEY_LENGTH = 32;
    private static final ThreadLocal<KDF> HKDF = ThreadLocal.withInitial(() -> {
        try {
            return KDF.getInstance("HKDF-SHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is not available", e);
        }
    });

    private final SecretKey prk;

    private ChunkKeys(SecretKey prk) {
        this.prk = prk;
    }

    /** The chunk keys of a repository whose data key is {@code dataKey}. */
    public static ChunkKeys of(byte[] dataKey) {
        if (dataKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("The data key is 32 bytes");
        }
        try {
            return new ChunkKeys(HKDF.get()
                    .deriveKey(
                            "Generic",
                            HKDFParameterSpec.ofExtract()
                                    .addIKM(dataKey)
                                    .addSalt(SALT)
                                    .extractOnly()));
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("HKDF-Extract failed", e);
        }
    }

    /** The AES-256 key of the blob of chunk {@code chunkId}. */
    public byte[] keyFor(byte[] chunkId) {
        try {
            return HKDF.get().deriveData(HKDFParameterSpec.expandOnly(prk, chunkId, KEY_LENGTH));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("HKDF-Expand failed", e);
        }
    }

    /** An AEAD under the key of chunk {@code chunkId}. */
    public Aead aeadFor(byte[] chunkId) {
        return new Aead(keyFor(chunkId));
    }

    @Override
    public String toString() {
        return "ChunkKeys[redacted]";
    }
}
