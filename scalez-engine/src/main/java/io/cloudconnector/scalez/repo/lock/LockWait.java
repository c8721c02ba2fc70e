package io.cloudconnector.scalez.repo.lock;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How a contender waits for a repository lock, the one wait both lock kinds use: resilience4j's randomised
 * exponential backoff (100 ms doubling to 2 s, each pause ±50 %), until the wait given to the locks ends. Then
 * the caller's {@link LockedException}, naming the holder, is thrown.
 */
final class LockWait {

    /** The pauses between tries; jitter keeps contenders that collided from colliding again. */
    static final IntervalFunction INTERVALS =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(2));

    private final Clock clock;
    private final Instant deadline;
    private final String what;
    private int tries;

    /**
     * @param what the repository or table waited on, for the message when the wait is interrupted
     */
    LockWait(Clock clock, Duration wait, String what) {
        this.clock = clock;
        this.deadline = clock.instant().plus(wait);
        this.what = what;
    }

    /**
     * Pauses before the next try, or throws {@code locked} if the wait has ended.
     *
     * @throws LockedException from {@code locked} at the deadline, or when the thread is interrupted
     */
    void pause(Supplier<LockedException> locked) {
        if (!clock.instant().isBefore(deadline)) {
            throw locked.get();
        }
        tries++;
        try {
            Thread.sleep(INTERVALS.apply(tries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockedException("Interrupted while waiting for a lock on " + what);
        }
    }
}
