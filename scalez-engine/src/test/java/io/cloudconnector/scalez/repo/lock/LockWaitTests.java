package io.cloudconnector.scalez.repo.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LockWaitTests {

    @Test
    void theFirstPausesAreShortJitteredAndGrowToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(LockWait.INTERVALS.apply(1)).isBetween(50L, 150L);
            assertThat(LockWait.INTERVALS.apply(2)).isBetween(100L, 300L);
            assertThat(LockWait.INTERVALS.apply(30)).isBetween(1000L, 3000L);
        }
    }

    @Test
    void aWaitThatHasEndedThrowsTheCallersExceptionWithoutPausing() {
        var clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
        var built = new AtomicInteger();
        var wait = new LockWait(clock, Duration.ZERO, "repo");

        assertThatThrownBy(() -> wait.pause(() -> {
                    built.incrementAndGet();
                    return new LockedException("held by b");
                }))
                .isInstanceOf(LockedException.class)
                .hasMessage("held by b");
        assertThat(built).hasValue(1);
    }

    @Test
    void aWaitWithTimeLeftPausesAndReturns() {
        var wait = new LockWait(Clock.systemUTC(), Duration.ofMinutes(1), "repo");

        long started = System.nanoTime();
        wait.pause(() -> new LockedException("never"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void anInterruptedWaitSaysWhatItWaitedOn() {
        var wait = new LockWait(Clock.systemUTC(), Duration.ofMinutes(1), "s3://vault");
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> wait.pause(() -> new LockedException("never")))
                .isInstanceOf(LockedException.class)
                .hasMessageContaining("s3://vault");
        assertThat(Thread.interrupted()).isTrue();
    }
}
