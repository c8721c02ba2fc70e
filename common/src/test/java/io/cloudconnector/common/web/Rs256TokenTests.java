package io.cloudconnector.common.web;

import static io.cloudconnector.common.testing.TestTokens.bearer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The tenant may sign RS256 instead of ES256; an ES256 token is then refused. */
@WebMvcTest(SampleController.class)
class Rs256TokenTests {

    private static final TestTokens RS256 = TestTokens.rs256();

    @DynamicPropertySource
    static void trustAnRsaKey(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.account", () -> TestTokens.ACCOUNT);
        registry.add("connector.security.public-key", RS256::publicKeyPem);
    }

    @Autowired
    MockMvc mvc;

    @Test
    void rs256TokenIsAccepted() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(RS256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isOk());
    }

    @Test
    void es256TokenFromAnotherKeyIsRefused() throws Exception {
        mvc.perform(get("/v1/samples")
                        .header("Authorization", bearer(TestTokens.es256().token(Scopes.VAULTS_READ))))
                .andExpect(status().isUnauthorized());
    }
}
