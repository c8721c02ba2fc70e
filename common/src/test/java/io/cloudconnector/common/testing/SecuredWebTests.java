package io.cloudconnector.common.testing;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of a service's web-slice tests: the service trusts {@link #TOKENS}' key and runs as connector
 * {@link TestTokens#CONNECTOR_ID} in account {@link TestTokens#ACCOUNT}, exactly as with a tenant key in production.
 */
public abstract class SecuredWebTests {

    /** Signs the tokens the tests send. */
    protected static final TestTokens TOKENS = TestTokens.es256();

    @DynamicPropertySource
    static void trustTheTestKey(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.account", () -> TestTokens.ACCOUNT);
        registry.add("connector.security.public-key", TOKENS::publicKeyPem);
    }

    /** {@code Bearer <token>} with these scopes. */
    protected static String bearerWith(String... scopes) {
        return TestTokens.bearer(TOKENS.token(scopes));
    }
}
