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
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/** Builds the {@link JwtDecoder} that {@link SecurityProperties} describe. */
public final class TokenVerification {

    private TokenVerification() {}

    /** A decoder that checks signature (RS256/ES256), expiry, audience and, if configured, issuer. */
    public static JwtDecoder decoder(SecurityProperties properties, String connectorId) {
        NimbusJwtDecoder decoder = keySource(properties);
        String audience =
                properties.audience() == null || properties.audience().isBlank() ? connectorId : properties.audience();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        validators.add(audienceValidator(audience));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
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
        OAuth2Error error = new OAuth2Error("invalid_token", "The token's audience is not this connector", null);
        return jwt -> {
            List<String> audiences = jwt.getClaimAsStringList(JwtClaimNames.AUD);
            return audiences != null && audiences.contains(audience)
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(error);
        };
    }

    @org.springframework.lang.Contract("null -> false")
    private static boolean present(@org.jspecify.annotations.Nullable String value) {
        return value != null && !value.isBlank();
    }
}
