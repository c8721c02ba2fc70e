package io.cloudconnector.common.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo) holding an RSA or an EC key. */
public final class PemPublicKeys {

    private PemPublicKeys() {}

    /** The key in {@code pem}. */
    public static PublicKey parse(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (base64.isEmpty() || pem.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("Not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The PEM public key is not valid base64", e);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("The PEM public key is neither an RSA nor an EC key");
    }

    /** The PEM text of a public key. */
    public static String format(PublicKey key) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }
}
