package io.cloudconnector.scalez.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message; sealed form is {@code nonce(12) || ciphertext ||
 * tag(16)}. Thread-safe.
 */
public final class Aead {

    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;
    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** Bytes sealing adds to a plaintext. */
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    });
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private final SecretKeySpec key;

    public Aead(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * Runs enough small seals for the JIT to compile the callers of the AES-CTR and GHASH intrinsics. Without
     * it, a backup's first ~2000 large blobs go through the interpreted GHASH (about 8x slower), because each
     * large blob is a single call and the callers never get hot enough. Seals only: a backup opens a handful of
     * metadata objects, and compiling the opening path too cost a restore or backup ~0.5 s of CPU.
     */
    public static void warmUpSealing() {
        var aead = new Aead(new byte[32]);
        var message = new byte[1024];
        var aad = new byte[38];
        var out = new byte[message.length + OVERHEAD];
        // The call a backup makes per blob (into a scratch buffer, ChunkSaver), and the allocating one of metadata.
        for (int i = 0; i < 20_000; i++) {
            aead.seal(message, 0, message.length, aad, out, 0);
        }
        for (int i = 0; i < 2_000; i++) {
            aead.seal(message, aad);
        }
    }

    /** As {@link #warmUpSealing}, for opening: what a restore needs (it never seals). */
    public static void warmUpOpening() {
        var aead = new Aead(new byte[32]);
        var aad = new byte[38];
        var sealed = aead.seal(new byte[1024], aad);
        var out = new byte[1024];
        // The call a block restore makes per blob (into a scratch buffer, ChunkLoader#loadInto), and the other.
        for (int i = 0; i < 20_000; i++) {
            aead.openInto(sealed, 0, sealed.length, aad, out);
        }
        for (int i = 0; i < 2_000; i++) {
            aead.open(sealed, aad);
        }
    }

    /** Seals {@code plaintext}, binding {@code aad} to it. */
    public byte[] seal(byte[] plaintext, byte[] aad) {
        var nonce = new byte[NONCE_LENGTH];
        RANDOM.get().nextBytes(nonce);
        var out = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        try {
            var cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * As {@link #seal(byte[], byte[])}, without allocating: seals {@code length} bytes of {@code plaintext} from
     * {@code offset} into {@code out} at {@code outOffset} (which must not overlap them); returns the sealed length,
     * {@code length + OVERHEAD}.
     */
    public int seal(byte[] plaintext, int offset, int length, byte[] aad, byte[] out, int outOffset) {
        var nonce = new byte[NONCE_LENGTH];
        RANDOM.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, outOffset, NONCE_LENGTH);
        try {
            var cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad);
            return NONCE_LENGTH + cipher.doFinal(plaintext, offset, length, out, outOffset + NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Opens {@code length} sealed bytes at {@code offset}; throws {@link DecryptionException} if they do not authenticate. */
    public byte[] open(byte[] sealed, int offset, int length, byte[] aad) {
        if (length < OVERHEAD) {
            throw new DecryptionException("Sealed data is " + length + " bytes, shorter than nonce and tag");
        }
        try {
            var cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, sealed, offset, NONCE_LENGTH));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, offset + NONCE_LENGTH, length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("Authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("Cannot decrypt: " + e.getMessage());
        }
    }

    /**
     * As {@link #open(byte[], int, int, byte[])}, into the start of {@code out} (at least {@code length - OVERHEAD}
     * bytes); returns the plaintext's length. When the data does not authenticate this throws, and {@code out}
     * holds nothing to use.
     */
    public int openInto(byte[] sealed, int offset, int length, byte[] aad, byte[] out) {
        if (length < OVERHEAD) {
            throw new DecryptionException("Sealed data is " + length + " bytes, shorter than nonce and tag");
        }
        try {
            var cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, sealed, offset, NONCE_LENGTH));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, offset + NONCE_LENGTH, length - NONCE_LENGTH, out, 0);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("Authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("Cannot decrypt: " + e.getMessage());
        }
    }

    /** Opens all of {@code sealed}. */
    public byte[] open(byte[] sealed, byte[] aad) {
        return open(sealed, 0, sealed.length, aad);
    }
}
