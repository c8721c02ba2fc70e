package io.cloudconnector.scalez.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Server tokens: the provisioner gives a server only the SHA-256 of its token (visible to whoever may describe
 * the task), and backups present the token itself (read from the vault's table).
 */
public final class ServerTokens {

    private ServerTokens() {}

    /** The SHA-256 of a token, the form a server is configured with. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The SHA-256 of a token in lower-case hex, e.g. for {@code SCALEZ_SERVER_TOKEN_SHA256}. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether {@code presented} hashes to {@code expectedSha256}, in constant time. */
    static boolean matches(String presented, byte[] expectedSha256) {
        return MessageDigest.isEqual(sha256(presented), expectedSha256);
    }
}
