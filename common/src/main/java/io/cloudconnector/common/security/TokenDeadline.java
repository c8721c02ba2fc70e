package io.cloudconnector.common.security;

import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * When the bearer token of the request being handled expires: a long-lived answer (a Server-Sent-Events stream)
 * ends then, so that no stream outlives the token that opened it. A client that wants to go on reconnects with a
 * fresh token.
 */
public final class TokenDeadline {

    private TokenDeadline() {}

    /** The current request's token's {@code exp}; empty if the request was not authenticated with a token. */
    public static Optional<Instant> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
            return Optional.ofNullable(jwt.getExpiresAt());
        }
        return Optional.empty();
    }
}
