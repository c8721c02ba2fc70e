package io.cloudconnector.common.web;

import static io.cloudconnector.common.testing.TestTokens.bearer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.resilience.AwsAvailability;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.TestTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** AWS out of reach answers 503 problem JSON with Retry-After; once the breaker opens, at once and for every API. */
@WebMvcTest(SampleController.class)
class AwsUnavailableTests {

    private static final TestTokens ES256 = TestTokens.es256();

    @TestConfiguration
    static class SmallBreaker {
        /** Opens after two requests that both found AWS out of reach. */
        @Bean
        AwsAvailability awsAvailability() {
            return new AwsAvailability(CircuitBreaker.of(
                    "aws-test",
                    CircuitBreakerConfig.custom()
                            .slidingWindow(2, 2, SlidingWindowType.COUNT_BASED)
                            .failureRateThreshold(100)
                            .waitDurationInOpenState(AwsAvailability.OPEN_FOR)
                            .build()));
        }
    }

    @DynamicPropertySource
    static void trustTheTestKey(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.account", () -> TestTokens.ACCOUNT);
        registry.add("connector.security.public-key", ES256::publicKeyPem);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    AwsAvailability availability;

    private final String token = bearer(ES256.token(Scopes.VAULTS_READ));

    @BeforeEach
    void closeTheBreaker() {
        availability.breaker().reset();
    }

    @Test
    void aRequestThatFoundAwsUnreachableIs503WithRetryAfter() throws Exception {
        mvc.perform(get("/v1/samples/aws-down").header("Authorization", token))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:aws-unavailable"))
                .andExpect(jsonPath("$.status").value(503))
                .andExpect(jsonPath("$.detail").value("AWS cannot be reached just now; try again later"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "throttling",
                "dynamodb-throughput",
                "s3-slow-down",
                "unavailable",
                "too-many-requests",
                "s3-request-timeout",
                "call-timeout",
                "transaction-throttled"
            })
    void awsThrottlingOrUnavailabilityIs503WithRetryAfterNever500(String kind) throws Exception {
        mvc.perform(get("/v1/samples/aws-busy/" + kind).header("Authorization", token))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:aws-unavailable"))
                .andExpect(jsonPath("$.detail").value("AWS cannot be reached just now; try again later"));
    }

    @Test
    void aTransactionCancelledForAConflictIsNotAnOutage() throws Exception {
        mvc.perform(get("/v1/samples/aws-busy/transaction-conflict").header("Authorization", token))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:internal"));
    }

    @Test
    void onceTheBreakerIsOpenEveryApiRequestIs503AtOnceUntilItCloses() throws Exception {
        mvc.perform(get("/v1/samples").header("Authorization", token)).andExpect(status().isOk());
        mvc.perform(get("/v1/samples/aws-down").header("Authorization", token));
        mvc.perform(get("/v1/samples/aws-down").header("Authorization", token));

        mvc.perform(get("/v1/samples").header("Authorization", token))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:aws-unavailable"));

        availability.breaker().transitionToHalfOpenState();
        mvc.perform(get("/v1/samples").header("Authorization", token)).andExpect(status().isOk());
    }

    @Test
    void otherFailuresDoNotOpenTheBreakerAndStay500Or4xx() throws Exception {
        for (int i = 0; i < 3; i++) {
            mvc.perform(get("/v1/samples/boom").header("Authorization", token))
                    .andExpect(status().isInternalServerError());
            mvc.perform(get("/v1/samples/x").header("Authorization", token)).andExpect(status().isNotFound());
        }

        mvc.perform(get("/v1/samples").header("Authorization", token)).andExpect(status().isOk());
    }
}
