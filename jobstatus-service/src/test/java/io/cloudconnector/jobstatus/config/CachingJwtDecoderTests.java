package io.cloudconnector.jobstatus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.cloudconnector.common.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class CachingJwtDecoderTests {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final JwtDecoder verifier = mock(JwtDecoder.class);

    @Test
    void verifiesATokenOnceWhileItIsValid() {
        var jwt = jwt(T0.plusSeconds(600));
        given(verifier.decode("token")).willReturn(jwt);
        var decoder = new CachingJwtDecoder(verifier, SKEW, Clock.fixed(T0, ZoneOffset.UTC));

        assertThat(decoder.decode("token")).isSameAs(jwt);
        assertThat(decoder.decode("token")).isSameAs(jwt);

        verify(verifier, times(1)).decode("token");
    }

    @Test
    void aCachedTokenPastItsExpiryIsNotServedFromMemory() {
        var clock = new MutableClock(T0);
        var decoder = new CachingJwtDecoder(verifier, SKEW, clock);
        given(verifier.decode("token")).willReturn(jwt(T0.plusSeconds(10)));
        decoder.decode("token");

        clock.set(T0.plusSeconds(71));
        given(verifier.decode("token")).willThrow(new BadJwtException("expired"));

        assertThatThrownBy(() -> decoder.decode("token")).isInstanceOf(BadJwtException.class);
    }

    @Test
    void refusedTokensAreNotRemembered() {
        given(verifier.decode("forged")).willThrow(new BadJwtException("bad signature"));
        var decoder = new CachingJwtDecoder(verifier, SKEW, Clock.fixed(T0, ZoneOffset.UTC));

        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);

        verify(verifier, times(2)).decode("forged");
    }

    private static Jwt jwt(Instant expiresAt) {
        return Jwt.withTokenValue("token")
                .header("alg", "ES256")
                .subject("tenant")
                .issuedAt(expiresAt.minusSeconds(3600))
                .expiresAt(expiresAt)
                .build();
    }
}
