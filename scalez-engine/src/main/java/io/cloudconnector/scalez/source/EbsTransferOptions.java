package io.cloudconnector.scalez.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How the EBS direct-API source and sink move blocks: how many requests run at once, and how a request that
 * failed in a way worth repeating (throttling, a server error, a broken connection, a checksum mismatch) is
 * tried again: up to {@code maxAttempts} times, waiting a fully jittered delay that doubles from
 * {@code baseDelay} up to {@code maxDelay}. This is the only retry layer for these calls: give the source and
 * sink an {@code EbsClient} whose own SDK retries are off.
 *
 * @param concurrency requests in flight at once (and blocks buffered ahead: twice as many)
 * @param pause how a retry waits; tests record instead of sleeping
 * @param jitter a uniform random number in [0, 1) per retry; tests fix it
 */
public record EbsTransferOptions(
        int concurrency, int maxAttempts, Duration baseDelay, Duration maxDelay, Pause pause, DoubleSupplier jitter) {

    /** Waits between attempts. */
    @FunctionalInterface
    public interface Pause {

        /** {@link Thread#sleep(Duration)}. */
        Pause THREAD = Thread::sleep;

        /** Blocks for {@code duration}. */
        void pause(Duration duration) throws InterruptedException;
    }

    public EbsTransferOptions {
        if (concurrency < 1 || maxAttempts < 1 || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("Invalid EBS transfer options: " + concurrency + " at once, "
                    + maxAttempts + " attempts, delays " + baseDelay + " to " + maxDelay);
        }
    }

    /**
     * 16 requests at once (EBS allows far more per snapshot; 16 keep a worker's network busy with 16 MiB of
     * buffers), 6 attempts, delays from 200 ms doubling up to 10 s: about 20 s of throttling is ridden out.
     */
    public static EbsTransferOptions defaults() {
        return new EbsTransferOptions(
                16,
                6,
                Duration.ofMillis(200),
                Duration.ofSeconds(10),
                Pause.THREAD,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** These options with another number of requests at once. */
    public EbsTransferOptions withConcurrency(int requests) {
        return new EbsTransferOptions(requests, maxAttempts, baseDelay, maxDelay, pause, jitter);
    }

    /** These options with another retry bound and delays. */
    public EbsTransferOptions withRetries(int attempts, Duration base, Duration max) {
        return new EbsTransferOptions(concurrency, attempts, base, max, pause, jitter);
    }

    /** These options waiting with {@code p} and jittering with {@code j}; for tests. */
    public EbsTransferOptions withPause(Pause p, DoubleSupplier j) {
        return new EbsTransferOptions(concurrency, maxAttempts, baseDelay, maxDelay, p, j);
    }

    /** The delay before retry {@code retry} (1 for the first): full jitter below the doubled, capped ceiling. */
    Duration delayBefore(int retry) {
        var grown = baseDelay.multipliedBy(1L << Math.min(retry - 1, 30));
        var ceiling = grown.compareTo(maxDelay) > 0 ? maxDelay : grown;
        return Duration.ofNanos((long) (jitter.getAsDouble() * ceiling.toNanos()));
    }
}
