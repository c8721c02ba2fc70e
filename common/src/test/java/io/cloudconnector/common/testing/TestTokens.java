package io.cloudconnector.common.testing;

import io.cloudconnector.common.security.DevTokenMinter;
import io.cloudconnector.common.security.PemPublicKeys;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tokens for tests: a key pair whose public half a test configures as the trusted key
 * ({@code connector.security.public-key}), and tokens signed with it.
 */
public final class TestTokens {

    /** The connector id tests use; tokens are minted for it unless a test says otherwise. */
    public static final String CONNECTOR_ID = "cc-test";
    /** The AWS account tests run as ({@code connector.account}; the emulator's default account too). */
    public static final String ACCOUNT = "123456789012";
    /** The region tests run in (the emulator's). */
    public static final String REGION = "us-east-1";
    /** The audience of the tests' tokens: {@code <account>:<region>:<connector id>}. */
    public static final String AUDIENCE = ACCOUNT + ":" + REGION + ":" + CONNECTOR_ID;

    private final KeyPair keys;
    private final DevTokenMinter minter;

    private TestTokens(KeyPair keys) {
        this.keys = keys;
        this.minter = new DevTokenMinter(keys.getPrivate());
    }

    /** Tokens signed ES256 with a fresh P-256 key. */
    public static TestTokens es256() {
        return new TestTokens(DevTokenMinter.newEcKeyPair());
    }

    /** Tokens signed RS256 with a fresh RSA key. */
    public static TestTokens rs256() {
        return new TestTokens(DevTokenMinter.newRsaKeyPair());
    }

    /** The PEM public key to trust. */
    public String publicKeyPem() {
        return PemPublicKeys.format(keys.getPublic());
    }

    /** A valid token for {@link #AUDIENCE} with these scopes. */
    public String token(String... scopes) {
        return minter.mint("test-user", AUDIENCE, List.of(scopes), Instant.now(), Duration.ofMinutes(10));
    }

    /** A valid token for {@link #AUDIENCE} with these scopes that expires after {@code lifetime}. */
    public String tokenValidFor(Duration lifetime, String... scopes) {
        return minter.mint("test-user", AUDIENCE, List.of(scopes), Instant.now(), lifetime);
    }

    /**
     * A token whose claims start as {@link #token}'s (for {@link #AUDIENCE}, 10 minutes) and that {@code change}
     * edits, e.g. to drop {@code exp}.
     */
    public String tokenWith(
            java.util.function.UnaryOperator<com.nimbusds.jwt.JWTClaimsSet.Builder> change, String... scopes) {
        return minter.sign(change.apply(DevTokenMinter.claims(
                        "test-user", AUDIENCE, List.of(scopes), Instant.now(), Duration.ofMinutes(10)))
                .build());
    }

    /** A token for another connector. */
    public String tokenForAudience(String audience, String... scopes) {
        return minter.mint("test-user", audience, List.of(scopes), Instant.now(), Duration.ofMinutes(10));
    }

    /** A token that expired an hour ago (well beyond the allowed clock skew). */
    public String expiredToken(String... scopes) {
        return minter.mint(
                "test-user", AUDIENCE, List.of(scopes), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    }

    /** {@code Bearer <token>}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
