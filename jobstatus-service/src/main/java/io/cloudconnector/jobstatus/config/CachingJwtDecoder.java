package io.cloudconnector.jobstatus.config;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Verifies each distinct bearer token once and remembers the result until the token expires.
 *
 * <p>Pollers, dashboards and the CLI send the same token with every call, and checking an ES256 signature
 * costs about half a millisecond of CPU — most of what a cached job read costs. A token's signature,
 * audience and issuer cannot change, so a token that passed once passes again until it expires (with the
 * same clock skew the verification allows); only that is checked again. Tokens that fail are not kept:
 * each attempt is verified in full.
 */
final class CachingJwtDecoder implements JwtDecoder {

    /** Bounds the memory: a few KB per token, and one caller rarely holds more than a few tokens. */
    static final int MAX_TOKENS = 10_000;
    /** Re-verify at least this often, so that a token is never trusted longer than a short while on memory alone. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final JwtDecoder verifier;
    private final Duration clockSkew;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    CachingJwtDecoder(JwtDecoder verifier, Duration clockSkew, Clock clock) {
        this.verifier = verifier;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_TOKENS)
                .expireAfterWrite(MAX_AGE)
                .build();
    }

    @Override
    public Jwt decode(String token) {
        var known = verified.getIfPresent(token);
        if (known != null && unexpired(known)) {
            return known;
        }
        var jwt = verifier.decode(token);
        verified.put(token, jwt);
        return jwt;
    }

    private boolean unexpired(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt != null && clock.instant().isBefore(expiresAt.plus(clockSkew));
    }
}
