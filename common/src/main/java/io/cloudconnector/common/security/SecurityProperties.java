package io.cloudconnector.common.security;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * How tokens are verified ({@code connector.security.*}). Exactly one key source must be set: the
 * tenant's JWKS URL, a PEM public key, or the location of a PEM file.
 *
 * @param audience the audience tokens must name; defaults to {@code <account>:<region>:<connector id>}
 *     ({@link ConnectorAudience}), unique across accounts and regions
 * @param jwkSetUri the tenant's JWKS URL (keys RS256 or ES256)
 * @param publicKey a PEM public key (RSA or EC P-256)
 * @param publicKeyLocation where a PEM public key file lives, e.g. {@code file:.connector/dev-key.pub.pem}
 * @param issuer if set, tokens must carry exactly this {@code iss}; deployments always set it (the connector
 *     template's {@code TenantIssuer} parameter), and set but empty it stops the service from starting
 * @param clockSkew how much clock difference {@code exp}/{@code nbf} checks tolerate
 * @param jwksTimeout connect and read timeout when fetching the JWKS
 * @param maxTokenLifetime the longest a token may be valid ({@code exp} − {@code iat}); longer-lived tokens are
 *     refused
 * @param publicPaths request paths (Ant-style patterns) served without a token besides health, e.g. the
 *     static shell of an operator page whose data calls still carry a token
 */
@ConfigurationProperties("connector.security")
public record SecurityProperties(
        @Nullable String audience,
        @Nullable String jwkSetUri,
        @Nullable String publicKey,
        @Nullable Resource publicKeyLocation,
        @Nullable String issuer,
        @DefaultValue("60s") Duration clockSkew,
        @DefaultValue("5s") Duration jwksTimeout,
        @DefaultValue("PT1H") Duration maxTokenLifetime,
        @DefaultValue({}) java.util.List<String> publicPaths) {

    public SecurityProperties {
        // A deployment always passes the issuer (the template's TenantIssuer), empty if the parameter was left out:
        // then the service refuses to start rather than accept tokens from any issuer.
        if (issuer != null && issuer.isBlank()) {
            throw new IllegalArgumentException("connector.security.issuer (CONNECTOR_SECURITY_ISSUER) is set but empty:"
                    + " name the tenant's token issuer (the connector template's TenantIssuer parameter)");
        }
        if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("connector.security.max-token-lifetime must be positive");
        }
    }
}
