package io.cloudconnector.common.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The circuit breaker in front of AWS on request paths. A request that failed because AWS (or the emulator) could
 * not be reached, timed out, answered 5xx or throttled counts as a failure; any other outcome as a success (a 404
 * from S3 is AWS working). When half of the last ten requests failed so, the breaker opens: for {@link #OPEN_FOR}
 * requests are answered 503 at once, without waiting for the SDK's timeouts, then a few go through to probe.
 * Either way the answer is 503 problem JSON with {@code Retry-After} ({@code ProblemDetailsAdvice}).
 */
public final class AwsAvailability {

    /** How long the breaker stays open before it lets requests probe AWS again. */
    public static final Duration OPEN_FOR = Duration.ofSeconds(30);
    /** What a client is told to wait after a request that found AWS unreachable while the breaker was closed. */
    public static final Duration RETRY_SOON = Duration.ofSeconds(5);

    /** What DynamoDB names an item of a transaction it cancelled because the table throttled. */
    private static final java.util.Set<String> THROTTLED_ITEM =
            java.util.Set.of("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    /** What AWS calls a request it gave up on (S3 answers 400 RequestTimeout) or is still busy with. */
    private static final java.util.Set<String> TIMED_OUT =
            java.util.Set.of("RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete");

    private final CircuitBreaker breaker;

    /** The breaker with the connector's settings. */
    public AwsAvailability() {
        this(CircuitBreaker.of(
                "aws",
                CircuitBreakerConfig.custom()
                        .slidingWindow(10, 5, SlidingWindowType.COUNT_BASED)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(OPEN_FOR)
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .build()));
    }

    /** Around {@code breaker} (tests set their own thresholds). */
    public AwsAvailability(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /** The breaker. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Takes a permit for one request; throws {@link CallNotPermittedException} while the breaker is open. */
    public void acquire() {
        breaker.acquirePermission();
    }

    /** Records how a request that held a permit ended; {@code failure} is what it failed with, if anything. */
    public void record(long startNanos, @Nullable Throwable failure) {
        long took = System.nanoTime() - startNanos;
        if (failure != null && isOutage(failure)) {
            breaker.onError(took, TimeUnit.NANOSECONDS, failure);
        } else {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether {@code e}, or what caused it, says AWS is out of reach: the breaker is open, the SDK could not reach
     * AWS or timed out, or AWS answered a server error (503 included), throttled (any service's throttling codes, a
     * DynamoDB transaction cancelled for throttling) or timed the request out. A cancelled call (an interrupt) is
     * not.
     */
    public static boolean isOutage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            switch (cause) {
                case CallNotPermittedException open -> {
                    return true;
                }
                case AbortedException aborted -> {
                    return false;
                }
                case TransactionCanceledException cancelled -> {
                    // A DynamoDB transaction cancelled because a table throttled it (400, reasons per item).
                    return cancelled.hasCancellationReasons()
                            && cancelled.cancellationReasons().stream()
                                    .anyMatch(reason -> THROTTLED_ITEM.contains(reason.code()));
                }
                case AwsServiceException service -> {
                    var details = service.awsErrorDetails();
                    return service.statusCode() >= 500
                            || service.isThrottlingException()
                            || (details != null && TIMED_OUT.contains(details.errorCode()));
                }
                case SdkClientException client -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }

    /** What to tell a client to wait: the open time if the breaker refused the request, a short while otherwise. */
    public static Duration retryAfter(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CallNotPermittedException) {
                return OPEN_FOR;
            }
        }
        return RETRY_SOON;
    }
}
