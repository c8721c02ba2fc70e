package io.cloudconnector.common.web;

import static io.cloudconnector.common.testing.TestTokens.bearer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.TestTokens;
import java.time.Duration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** A deployment's token rules: the tenant's issuer is required, and the maximum lifetime is configurable. */
@WebMvcTest(SampleController.class)
class TokenRulesTests {

    private static final TestTokens ES256 = TestTokens.es256();
    private static final String TENANT = "https://login.tenant.example/";

    @DynamicPropertySource
    static void deployment(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.account", () -> TestTokens.ACCOUNT);
        registry.add("connector.security.public-key", ES256::publicKeyPem);
        registry.add("connector.security.issuer", () -> TENANT);
        registry.add("connector.security.max-token-lifetime", () -> "PT15M");
    }

    @Autowired
    MockMvc mvc;

    @Test
    void aTokenFromTheTenantsIssuerIsAccepted() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(tenantToken(Duration.ofMinutes(15)))))
                .andExpect(status().isOk());
    }

    @Test
    void aTokenFromAnotherIssuerOrNoneIs401NamingTheIssuer() throws Exception {
        for (String token : new String[] {
            ES256.token(Scopes.VAULTS_READ), // issued by cloud-connector-dev
            ES256.tokenWith(claims -> claims.issuer(null), Scopes.VAULTS_READ),
            ES256.tokenWith(claims -> claims.issuer(TENANT + "evil"), Scopes.VAULTS_READ)
        }) {
            mvc.perform(get("/v1/samples").header("Authorization", bearer(token)))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").value(Matchers.containsString("issuer (iss)")));
        }
    }

    @Test
    void theConfiguredMaximumLifetimeHolds() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(tenantToken(Duration.ofMinutes(16)))))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("exceeds the maximum of PT15M")));
    }

    private static String tenantToken(Duration lifetime) {
        var now = java.time.Instant.now();
        return ES256.tokenWith(
                claims -> claims.issuer(TENANT)
                        .expirationTime(java.util.Date.from(now.plus(lifetime)))
                        .issueTime(java.util.Date.from(now)),
                Scopes.VAULTS_READ);
    }
}
