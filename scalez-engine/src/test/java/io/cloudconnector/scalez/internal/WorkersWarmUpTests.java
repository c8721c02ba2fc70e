package io.cloudconnector.scalez.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkersWarmUpTests {

    private static final long LARGE = 1L << 30;

    @Test
    void theFirstTaskRunsOnlyOnceTheWarmUpEnded() throws Exception {
        var warmed = new AtomicBoolean();
        var submitter = new java.util.concurrent.atomic.AtomicReference<Thread>();
        var submitted = new CountDownLatch(1);
        try (var workers = new Workers(2, "test")) {
            // The warm-up ends only once the thread that submits the first task is parked waiting for it.
            workers.warmUp(LARGE, () -> {
                await(submitted);
                var thread = submitter.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                warmed.set(true);
            });
            var sawWarm = new java.util.concurrent.CompletableFuture<Boolean>();
            var thread =
                    Thread.ofPlatform().unstarted(() -> sawWarm.complete(Workers.join(workers.submit(warmed::get))));
            submitter.set(thread);
            thread.start();
            submitted.countDown();

            assertThat(sawWarm.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void partsOfAWarmUpRunAtOnceAndTheFirstTaskWaitsForAll() {
        var both = new CountDownLatch(2);
        var ended = new java.util.concurrent.atomic.AtomicInteger();
        Runnable part = () -> {
            both.countDown();
            await(both); // only ends when the other part runs at the same time
            ended.incrementAndGet();
        };
        try (var workers = new Workers(2, "test")) {
            workers.warmUp(LARGE, part, part);

            assertThat(Workers.join(workers.submit(ended::get))).isEqualTo(2);
        }
    }

    @Test
    void belowAQuarterGibibyteNothingWarmsUpAndNothingWaits() {
        var ran = new AtomicBoolean();
        try (var workers = new Workers(2, "test")) {
            workers.warmUp((256L << 20) - 1, () -> ran.set(true));

            assertThat(Workers.join(workers.submit(() -> 7))).isEqualTo(7);
            assertThat(ran).isFalse();
        }
    }

    @Test
    void aWarmUpThatFailsCostsOnlyTimeNotTheWork() {
        try (var workers = new Workers(2, "test")) {
            workers.warmUp(-1, () -> {
                throw new IllegalStateException("no AES here");
            });

            assertThat(Workers.join(workers.submit(() -> "done"))).isEqualTo("done");
        }
    }

    @Test
    void theRealWarmUpsEndAndTheWorkRuns() {
        try (var workers = new Workers(2, "test")) {
            workers.warmUpOpening(LARGE);
            assertThat(Workers.join(workers.submit(() -> 1))).isEqualTo(1);
            workers.warmUpSealing(LARGE);
            assertThat(Workers.join(workers.submit(() -> 2))).isEqualTo(2);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
