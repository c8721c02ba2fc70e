package io.cloudconnector.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code connector.security.*} as the environment of a deployed service binds it. */
class SecurityPropertiesTests {

    private static SecurityProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("connector.security", SecurityProperties.class);
    }

    @Test
    void tokensLiveAtMostAnHourUnlessConfigured() {
        assertThat(bind(Map.of()).maxTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(bind(Map.of("connector.security.max-token-lifetime", "15m")).maxTokenLifetime())
                .isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aDeploymentWhoseIssuerIsEmptyDoesNotStart() {
        // The template passes CONNECTOR_SECURITY_ISSUER to every service, empty when TenantIssuer was left out.
        assertThatThrownBy(() -> bind(Map.of("connector.security.issuer", "")))
                .rootCause()
                .hasMessageContaining("TenantIssuer");
        assertThat(bind(Map.of("connector.security.issuer", "https://login.tenant.example/"))
                        .issuer())
                .isEqualTo("https://login.tenant.example/");
        assertThat(bind(Map.of()).issuer()).isNull();
    }
}
