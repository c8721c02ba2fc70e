package io.cloudconnector.common.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What counts as AWS being out of reach, and what a client is told to wait. */
class AwsAvailabilityTests {

    @Test
    void unreachableTimedOutServerErrorsAndThrottlingAreOutagesAlsoWhenWrapped() {
        assertThat(AwsAvailability.isOutage(SdkClientException.create("Connection refused")))
                .isTrue();
        assertThat(AwsAvailability.isOutage(ApiCallTimeoutException.create(1000)))
                .isTrue();
        assertThat(AwsAvailability.isOutage(S3Exception.builder()
                        .statusCode(503)
                        .message("Slow Down")
                        .build()))
                .isTrue();
        assertThat(AwsAvailability.isOutage(
                        new IllegalStateException("Cannot read pack p", SdkClientException.create("Connection reset"))))
                .isTrue();
    }

    @Test
    void answersAndCancelledCallsAreNotOutages() {
        assertThat(AwsAvailability.isOutage(NoSuchKeyException.builder()
                        .statusCode(404)
                        .message("gone")
                        .build()))
                .isFalse();
        assertThat(AwsAvailability.isOutage(AbortedException.create("interrupted")))
                .isFalse();
        assertThat(AwsAvailability.isOutage(new IllegalArgumentException("bad input")))
                .isFalse();
    }

    @Test
    void anOpenBreakerTellsToWaitItsOpenTime() {
        var breaker = CircuitBreaker.ofDefaults("aws-test");
        breaker.transitionToOpenState();
        var refused = CallNotPermittedException.createCallNotPermittedException(breaker);

        assertThat(AwsAvailability.isOutage(refused)).isTrue();
        assertThat(AwsAvailability.retryAfter(refused)).isEqualTo(AwsAvailability.OPEN_FOR);
        assertThat(AwsAvailability.retryAfter(SdkClientException.create("refused")))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void outagesOpenTheBreakerAndAnswersDoNot() {
        var availability = new AwsAvailability();
        for (int i = 0; i < 10; i++) {
            availability.acquire();
            availability.record(
                    System.nanoTime(),
                    NoSuchKeyException.builder().statusCode(404).build());
        }
        assertThat(availability.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        for (int i = 0; i < 5; i++) {
            availability.acquire();
            availability.record(System.nanoTime(), SdkClientException.create("Connection refused"));
        }
        assertThat(availability.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
