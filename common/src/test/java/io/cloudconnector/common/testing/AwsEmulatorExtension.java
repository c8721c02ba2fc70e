package io.cloudconnector.common.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a clean AWS emulator: starts (or reuses) {@link MotoServer}, resets it before the
 * class, and points the AWS SDK and the connector's configuration at it through system properties.
 *
 * <p>Test methods and constructors may take an {@link AwsEmulator} parameter.
 */
public final class AwsEmulatorExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        var server = MotoServer.shared();
        server.reset();
        AwsEmulator.of(server).exportSystemProperties();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == AwsEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return AwsEmulator.of(MotoServer.shared());
    }
}
