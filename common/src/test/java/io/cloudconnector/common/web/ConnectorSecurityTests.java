package io.cloudconnector.common.web;

import static io.cloudconnector.common.testing.TestTokens.bearer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.TestTokens;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(SampleController.class)
class ConnectorSecurityTests {

    private static final TestTokens ES256 = TestTokens.es256();
    private static final TestTokens OTHER_KEY = TestTokens.es256();

    @DynamicPropertySource
    static void trustTheTestKey(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.account", () -> TestTokens.ACCOUNT);
        registry.add("connector.security.public-key", ES256::publicKeyPem);
    }

    @Autowired
    MockMvc mvc;

    @Test
    void noTokenIs401ProblemJson() throws Exception {
        mvc.perform(get("/v1/samples"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:unauthorized"))
                .andExpect(jsonPath("$.detail").value("A bearer token is required"));
    }

    @Test
    void expiredTokenIs401() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(ES256.expiredToken(Scopes.VAULTS_READ))))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", Matchers.startsWith("Bearer error=\"invalid_token\"")))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("expired")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "123456789012:us-east-1:cc-someone-else",
                // the same connector id in another account or region is another connector
                "999999999999:us-east-1:cc-test",
                "123456789012:eu-west-1:cc-test",
                // the connector id alone (the audience before it was bound to account and region)
                "cc-test"
            })
    void tokenForAnotherConnectorIs401(String audience) throws Exception {
        mvc.perform(get("/v1/samples")
                        .header("Authorization", bearer(ES256.tokenForAudience(audience, Scopes.VAULTS_READ))))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("audience (aud)")));
    }

    @Test
    void tokenWithoutExpiryIs401() throws Exception {
        refused(ES256.tokenWith(claims -> claims.expirationTime(null), Scopes.VAULTS_READ), "no expiry (exp)");
    }

    @Test
    void tokenWithoutIssueTimeIs401() throws Exception {
        refused(ES256.tokenWith(claims -> claims.issueTime(null), Scopes.VAULTS_READ), "no issue time (iat)");
    }

    @Test
    void tokenLivingLongerThanAnHourIs401() throws Exception {
        refused(
                ES256.tokenValidFor(java.time.Duration.ofMinutes(61), Scopes.VAULTS_READ),
                "lifetime (exp - iat) of PT1H1M exceeds the maximum of PT1H");
        mvc.perform(get("/v1/samples")
                        .header(
                                "Authorization",
                                bearer(ES256.tokenValidFor(java.time.Duration.ofHours(1), Scopes.VAULTS_READ))))
                .andExpect(status().isOk());
    }

    @Test
    void tokenIssuedInTheFutureIs401() throws Exception {
        var later = java.time.Instant.now().plus(java.time.Duration.ofMinutes(10));
        refused(
                ES256.tokenWith(
                        claims -> claims.issueTime(java.util.Date.from(later))
                                .expirationTime(java.util.Date.from(later.plusSeconds(60))),
                        Scopes.VAULTS_READ),
                "issue time (iat) is in the future");
    }

    @Test
    void tokenExpiringBeforeItWasIssuedIs401() throws Exception {
        var now = java.time.Instant.now();
        refused(
                ES256.tokenWith(
                        claims -> claims.issueTime(java.util.Date.from(now))
                                .expirationTime(java.util.Date.from(now.minusSeconds(30))),
                        Scopes.VAULTS_READ),
                "expiry (exp) is not after its issue time (iat)");
    }

    @Test
    void withoutAConfiguredIssuerAnyIssuerIsAccepted() throws Exception {
        mvc.perform(get("/v1/samples")
                        .header(
                                "Authorization",
                                bearer(ES256.tokenWith(claims -> claims.issuer("someone"), Scopes.VAULTS_READ))))
                .andExpect(status().isOk());
    }

    private void refused(String token, String reason) throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(token)))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:unauthorized"))
                .andExpect(header().string("WWW-Authenticate", Matchers.containsString(reason)))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString(reason)));
    }

    @Test
    void tokenSignedByAnotherKeyIs401() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(OTHER_KEY.token(Scopes.VAULTS_READ))))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.status").value(401));
    }

    @Test
    void garbageTokenIs401() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", "Bearer not.a.jwt"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void validTokenWithTheScopeIs200() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0]").value("a"))
                .andExpect(jsonPath("$.nextPageToken").doesNotExist());
    }

    @Test
    void missingScopeIs403ProblemJson() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", bearer(ES256.token(Scopes.JOBS_READ))))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:forbidden"));
    }

    @Test
    void readScopeDoesNotGrantWrite() throws Exception {
        mvc.perform(post("/v1/samples")
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"size\":1}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void invalidBodyNamesEachField() throws Exception {
        mvc.perform(post("/v1/samples")
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_WRITE)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"\",\"size\":0}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:invalid-input"))
                .andExpect(jsonPath("$.errors[*].field").value(Matchers.contains("name", "size")));
    }

    @Test
    void malformedJsonIs400() throws Exception {
        mvc.perform(post("/v1/samples")
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_WRITE)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:malformed-body"));
    }

    @Test
    void conflictNamesTheField() throws Exception {
        mvc.perform(post("/v1/samples")
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_WRITE)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"taken\",\"size\":1}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
    }

    @Test
    void outOfRangeLimitIs400NamingTheParameter() throws Exception {
        mvc.perform(get("/v1/samples?limit=501").header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
        mvc.perform(get("/v1/samples?limit=lots").header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
    }

    @Test
    void echoedInputIsCutAt100Characters() throws Exception {
        String huge = "9".repeat(5_000);
        mvc.perform(get("/v1/samples?limit=x" + huge).header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"))
                .andExpect(jsonPath("$.errors[0].message").value("'x" + "9".repeat(99) + "…' is not a valid value"));
        mvc.perform(get("/v1/samples/" + huge).header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Sample " + "9".repeat(100) + "… does not exist"));
        mvc.perform(get("/v1/samples/lookup?vaultId=" + huge)
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value("no vault " + "9".repeat(100) + "… in this connector"))
                .andExpect(jsonPath("$.detail").value("vaultId: no vault " + "9".repeat(100) + "… in this connector"));
        mvc.perform(get("/v1/nothing/" + huge).header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(Matchers.hasLength(Matchers.lessThan(130))));
    }

    @Test
    void aBodyOverTheLimitIs413ProblemJsonWithOrWithoutAToken() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\",\"size\":1}";
        mvc.perform(post("/v1/samples")
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_WRITE)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(big))
                .andExpect(status().is(413))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:body-too-large"))
                .andExpect(jsonPath("$.status").value(413));
        mvc.perform(post("/v1/samples").contentType(MediaType.APPLICATION_JSON).content(big))
                .andExpect(status().is(413));
        mvc.perform(post("/v1/samples")
                        .header("Authorization", bearer(ES256.token(Scopes.VAULTS_WRITE)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + "x".repeat(1000 * 1000) + "\",\"size\":1}"))
                .andExpect(status().isCreated());
    }

    @Test
    void unknownIdIs404() throws Exception {
        mvc.perform(get("/v1/samples/s-1").header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Sample s-1 does not exist"));
    }

    @Test
    void unexpectedErrorsNeverLeakDetails() throws Exception {
        mvc.perform(get("/v1/samples/boom").header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(content().string(Matchers.not(Matchers.containsString("secret"))))
                .andExpect(content().string(Matchers.not(Matchers.containsString("com.example"))));
    }

    @Test
    void unknownPathWithATokenIs404ProblemJson() throws Exception {
        mvc.perform(get("/v1/nothing-here").header("Authorization", bearer(ES256.token(Scopes.VAULTS_READ))))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
