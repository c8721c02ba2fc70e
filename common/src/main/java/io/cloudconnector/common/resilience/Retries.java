package io.cloudconnector.common.resilience;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retrying and waiting, built alike (resilience4j {@link Retry}: exponential backoff with jitter, bounded).
 * AWS calls themselves are retried by the SDK's standard strategy (the client factory's); this is for what the SDK
 * cannot retry: an optimistic write that lost to another writer, and waiting for AWS to finish something.
 */
public final class Retries {

    private static final double JITTER = 0.5;

    private Retries() {}

    /**
     * Runs {@code attempt} until it does not throw what {@code retryOn} accepts, at most {@code attempts} times,
     * pausing about {@code first}, then twice as long each time up to {@code longest} (±50 %); throws the last
     * failure when the attempts are used up.
     */
    public static <T> T retry(
            String name,
            int attempts,
            Duration first,
            Duration longest,
            Predicate<Throwable> retryOn,
            Supplier<T> attempt) {
        var config = RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(first, 2.0, JITTER, longest))
                .retryOnException(retryOn)
                .build();
        return Retry.of(name, config).executeSupplier(attempt);
    }

    /**
     * Calls {@code done} until it answers true, pausing {@code first}, then half as long again each time up to
     * {@code longest} (with jitter); throws {@link WaitTimeoutException} once {@code timeout} has passed on
     * {@code clock}. What {@code done} throws is not retried: it ends the wait.
     */
    public static void await(
            String what, Duration timeout, Duration first, Duration longest, Clock clock, BooleanSupplier done) {
        var deadline = clock.instant().plus(timeout);
        var config = RetryConfig.<Boolean>custom()
                // Bounded by the deadline; the attempt count only guards against a clock that stands still.
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(first, 1.5, JITTER, longest))
                .retryOnResult(ready -> !ready)
                .retryOnException(e -> false)
                .build();
        Retry.of(what, config).executeSupplier(() -> {
            if (done.getAsBoolean()) {
                return true;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new WaitTimeoutException(what + " not ready within " + timeout);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new WaitTimeoutException("Interrupted while waiting for " + what);
            }
            return false;
        });
    }

    /** A wait that ran out of time (or was interrupted). */
    public static final class WaitTimeoutException extends IllegalStateException {

        WaitTimeoutException(String message) {
            super(message);
        }
    }
}
