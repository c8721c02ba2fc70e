package io.cloudconnector.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the connector's shared defaults (problem details on, no stack traces, health probes, derived
 * resource names, ...) as the lowest-precedence property source, so each service's own
 * {@code application.yaml}, the environment and the command line still win.
 */
public final class ConnectorDefaultsPostProcessor implements EnvironmentPostProcessor {

    private static final String NAME = "connector-defaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(NAME)) {
            return;
        }
        try {
            environment
                    .getPropertySources()
                    .addLast(new ResourcePropertySource(
                            NAME, new ClassPathResource("META-INF/connector-defaults.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the connector's default properties", e);
        }
    }
}
