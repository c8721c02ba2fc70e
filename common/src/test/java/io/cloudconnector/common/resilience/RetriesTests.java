package io.cloudconnector.common.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retrying a lost optimistic write, and waiting for AWS: bounded, and only what should be retried. */
class RetriesTests {

    private static final Duration PAUSE = Duration.ofMillis(1);

    static final class Conflict extends RuntimeException {
        Conflict() {
            super("changed meanwhile");
        }
    }

    @Test
    void retriesWhatItIsToldToUntilAnAttemptSucceeds() {
        var calls = new AtomicInteger();

        String result = Retries.retry("write", 5, PAUSE, PAUSE, Conflict.class::isInstance, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new Conflict();
            }
            return "written";
        });

        assertThat(result).isEqualTo("written");
        assertThat(calls).hasValue(3);
    }

    @Test
    void throwsTheLastFailureOnceTheAttemptsAreUsedUp() {
        var calls = new AtomicInteger();

        assertThatThrownBy(() -> Retries.retry("write", 4, PAUSE, PAUSE, Conflict.class::isInstance, () -> {
                    calls.incrementAndGet();
                    throw new Conflict();
                }))
                .isInstanceOf(Conflict.class);
        assertThat(calls).hasValue(4);
    }

    @Test
    void doesNotRetryOtherFailures() {
        var calls = new AtomicInteger();

        assertThatThrownBy(() -> Retries.retry("write", 4, PAUSE, PAUSE, Conflict.class::isInstance, () -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("bad item");
                }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void awaitReturnsOnceDone() {
        var clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        var polls = new AtomicInteger();

        Retries.await("snapshot", Duration.ofMinutes(1), PAUSE, PAUSE, clock, () -> polls.incrementAndGet() == 4);

        assertThat(polls).hasValue(4);
    }

    @Test
    void awaitGivesUpAfterItsTimeout() {
        var clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        var polls = new AtomicInteger();

        assertThatThrownBy(() -> Retries.await("Stack s", Duration.ofSeconds(10), PAUSE, PAUSE, clock, () -> {
                    polls.incrementAndGet();
                    clock.advance(Duration.ofSeconds(4));
                    return false;
                }))
                .isInstanceOf(Retries.WaitTimeoutException.class)
                .hasMessage("Stack s not ready within PT10S");
        assertThat(polls).hasValue(3);
    }

    @Test
    void whatTheProbeThrowsEndsTheWait() {
        var clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        var polls = new AtomicInteger();

        assertThatThrownBy(() -> Retries.await("snapshot", Duration.ofMinutes(1), PAUSE, PAUSE, clock, () -> {
                    polls.incrementAndGet();
                    throw new IllegalStateException("EC2 failed snapshot snap-1");
                }))
                .hasMessage("EC2 failed snapshot snap-1");
        assertThat(polls).hasValue(1);
    }
}
