package io.cloudconnector.jobstatus.config;

import io.cloudconnector.common.config.ConnectorSecurityAutoConfiguration;
import io.cloudconnector.common.security.SecurityProperties;
import io.cloudconnector.common.security.TokenVerification;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The shared token verification of {@code common}, with each token verified once (see
 * {@link CachingJwtDecoder}): the job API is read far more often than the other services', and its
 * cached reads would otherwise spend most of their time checking the same signature again.
 */
@Configuration(proxyBeanMethods = false)
class TokenVerificationConfiguration {

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties, Environment environment, Clock clock) {
        return new CachingJwtDecoder(
                TokenVerification.decoder(
                        properties, ConnectorSecurityAutoConfiguration.audience(properties, environment)),
                properties.clockSkew(),
                clock);
    }
}
