package io.cloudconnector.common.security;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/** Builds the {@link JwtDecoder} that {@link SecurityProperties} describe. */
public final class TokenVerification {

    private static final MappedJwtClaimSetConverter DEFAULT_CLAIMS = MappedJwtClaimSetConverter.withDefaults(Map.of());

    private TokenVerification() {}

    /**
     * A decoder that checks signature (RS256/ES256), that {@code exp} and {@code iat} are present, expiry and
     * not-before (with {@link SecurityProperties#clockSkew()}), a lifetime ({@code exp − iat}) of at most {@link
     * SecurityProperties#maxTokenLifetime()}, the audience and, if configured, the issuer. Each refusal names its
     * reason (the 401 problem's detail).
     */
    public static JwtDecoder decoder(SecurityProperties properties, String audience) {
        return decoder(properties, audience, Clock.systemUTC());
    }

    /** {@link #decoder(SecurityProperties, String)} on {@code clock}. */
    public static JwtDecoder decoder(SecurityProperties properties, String audience, Clock clock) {
        NimbusJwtDecoder decoder = keySource(properties);
        decoder.setClaimSetConverter(TokenVerification::claims);
        decoder.setJwtValidator(validator(properties, audience, clock));
        return decoder;
    }

    /**
     * Spring's claim conversion, except that it does not make up an {@code iat} the token lacks (it would take
     * {@code exp} − 1 s), and that an {@code iat} not before {@code exp} (which Spring's {@link Jwt} cannot hold)
     * becomes {@code exp} − 1 ns, a lifetime the validator refuses.
     */
    private static Map<String, Object> claims(Map<String, Object> raw) {
        Map<String, Object> claims = new HashMap<>(DEFAULT_CLAIMS.convert(raw));
        if (!raw.containsKey(JwtClaimNames.IAT) || raw.get(JwtClaimNames.IAT) == null) {
            claims.remove(JwtClaimNames.IAT);
        } else if (claims.get(JwtClaimNames.IAT) instanceof Instant issuedAt
                && claims.get(JwtClaimNames.EXP) instanceof Instant expiresAt
                && !issuedAt.isBefore(expiresAt)) {
            claims.put(JwtClaimNames.IAT, expiresAt.minusNanos(1));
        }
        return claims;
    }

    /** The claim checks of {@link #decoder(SecurityProperties, String, Clock)}, in the order their errors show. */
    static OAuth2TokenValidator<Jwt> validator(SecurityProperties properties, String audience, Clock clock) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(required(JwtClaimNames.EXP, "The token has no expiry (exp)"));
        validators.add(required(JwtClaimNames.IAT, "The token has no issue time (iat)"));
        var timestamps = new JwtTimestampValidator(properties.clockSkew());
        timestamps.setClock(clock);
        validators.add(timestamps);
        validators.add(issuedInThePast(properties.clockSkew(), clock));
        validators.add(lifetimeAtMost(properties.maxTokenLifetime()));
        validators.add(audienceValidator(audience));
        String issuer = properties.issuer();
        if (issuer != null && !issuer.isBlank()) {
            validators.add(issuerValidator(issuer));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static NimbusJwtDecoder keySource(SecurityProperties properties) {
        int sources = (present(properties.jwkSetUri()) ? 1 : 0)
                + (present(properties.publicKey()) ? 1 : 0)
                + (properties.publicKeyLocation() != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalStateException("Set exactly one of connector.security.jwk-set-uri, "
                    + "connector.security.public-key and connector.security.public-key-location (found " + sources
                    + ")");
        }
        if (present(properties.jwkSetUri())) {
            var requests = new SimpleClientHttpRequestFactory();
            requests.setConnectTimeout(properties.jwksTimeout());
            requests.setReadTimeout(properties.jwksTimeout());
            var rest = new RestTemplate(requests);
            return NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri())
                    .jwsAlgorithms(algorithms -> {
                        algorithms.add(SignatureAlgorithm.RS256);
                        algorithms.add(SignatureAlgorithm.ES256);
                    })
                    .restOperations(rest)
                    .build();
        }
        PublicKey key =
                PemPublicKeys.parse(present(properties.publicKey()) ? properties.publicKey() : read(properties));
        JWK jwk = switch (key) {
            case RSAPublicKey rsa -> new RSAKey.Builder(rsa).build();
            case ECPublicKey ec ->
                new ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()), ec).build();
            default -> throw new IllegalStateException("Unsupported key type " + key.getAlgorithm());
        };
        SignatureAlgorithm algorithm =
                key instanceof RSAPublicKey ? SignatureAlgorithm.RS256 : SignatureAlgorithm.ES256;
        return NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(new JWKSet(jwk)))
                .jwsAlgorithm(algorithm)
                .build();
    }

    private static String read(SecurityProperties properties) {
        var location = java.util.Objects.requireNonNull(properties.publicKeyLocation());
        try (var in = location.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the public key at " + location, e);
        }
    }

    private static OAuth2TokenValidator<Jwt> audienceValidator(String audience) {
        return jwt -> {
            List<String> audiences = jwt.getClaimAsStringList(JwtClaimNames.AUD);
            return audiences != null && audiences.contains(audience)
                    ? OAuth2TokenValidatorResult.success()
                    : failure("The token's audience (aud) is not this connector (<account>:<region>:<connector id>)");
        };
    }

    private static OAuth2TokenValidator<Jwt> issuerValidator(String issuer) {
        return jwt -> issuer.equals(jwt.getClaimAsString(JwtClaimNames.ISS))
                ? OAuth2TokenValidatorResult.success()
                : failure("The token's issuer (iss) is not the tenant's");
    }

    private static OAuth2TokenValidator<Jwt> required(String claim, String description) {
        return jwt -> jwt.hasClaim(claim) ? OAuth2TokenValidatorResult.success() : failure(description);
    }

    private static OAuth2TokenValidator<Jwt> issuedInThePast(Duration clockSkew, Clock clock) {
        return jwt -> {
            Instant issuedAt = jwt.getIssuedAt();
            return issuedAt != null && issuedAt.isAfter(clock.instant().plus(clockSkew))
                    ? failure("The token's issue time (iat) is in the future")
                    : OAuth2TokenValidatorResult.success();
        };
    }

    private static OAuth2TokenValidator<Jwt> lifetimeAtMost(Duration max) {
        return jwt -> {
            Instant issuedAt = jwt.getIssuedAt();
            Instant expiresAt = jwt.getExpiresAt();
            if (issuedAt == null || expiresAt == null) {
                return OAuth2TokenValidatorResult.success(); // refused as missing above
            }
            Duration lifetime = Duration.between(issuedAt, expiresAt);
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
                return failure("The token's expiry (exp) is not after its issue time (iat)");
            }
            return lifetime.compareTo(max) > 0
                    ? failure("The token's lifetime (exp - iat) of " + lifetime + " exceeds the maximum of " + max)
                    : OAuth2TokenValidatorResult.success();
        };
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }

    @org.springframework.lang.Contract("null -> false")
    private static boolean present(@org.jspecify.annotations.Nullable String value) {
        return value != null && !value.isBlank();
    }
}
