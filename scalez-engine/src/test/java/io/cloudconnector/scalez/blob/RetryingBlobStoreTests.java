package io.cloudconnector.scalez.blob;

import static io.cloudconnector.scalez.blob.BlobStoreContractTests.bytes;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.GET;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.PUT_IF_ABSENT;
import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.blob.RetryingBlobStore.RetryPolicy;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryingBlobStoreTests {

    private static final RetryPolicy POLICY = new RetryPolicy(6, ofMillis(100), ofMillis(1_000), Duration.ofMinutes(1));

    private final InMemoryBlobStore stored = new InMemoryBlobStore();
    private final FaultInjectingBlobStore faulty = new FaultInjectingBlobStore(stored);
    private final FakeTime time = new FakeTime();

    @Test
    void retriesTransientFailuresWithGrowingDelaysUpToTheCap() {
        stored.put("packs/aa/1", bytes("pack"));
        faulty.failNext(GET, 3).throttleNext(GET, 2);

        var data = retrying(POLICY, halfJitter()).get("packs/aa/1");

        assertThat(data).isEqualTo(bytes("pack"));
        assertThat(faulty.calls(GET)).isEqualTo(6);
        // Half of each ceiling: 100, 200, 400, 800, then the 1 s cap.
        assertThat(time.sleeps())
                .containsExactly(ofMillis(50), ofMillis(100), ofMillis(200), ofMillis(400), ofMillis(500));
    }

    @Test
    void jitterSpreadsEachDelayBetweenZeroAndItsCeiling() {
        stored.put("packs/aa/1", bytes("pack"));
        faulty.failNext(GET, 5);

        retrying(POLICY, new SplittableRandom(42)).get("packs/aa/1");

        var ceilings = new long[] {100, 200, 400, 800, 1_000};
        var sleeps = time.sleeps();
        assertThat(sleeps).hasSize(5);
        for (int i = 0; i < sleeps.size(); i++) {
            assertThat(sleeps.get(i)).isBetween(Duration.ZERO, ofMillis(ceilings[i]));
        }
        // Jittered: each delay is a different fraction of its ceiling.
        assertThat(IntStream.range(0, 5)
                        .mapToObj(i -> (double) sleeps.get(i).toNanos() / (ceilings[i] * 1_000_000))
                        .distinct())
                .hasSize(5);
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheLastFailureAsCause() {
        faulty.failNext(GET, 5).throttleNext(GET, 10);

        assertThatThrownBy(() -> retrying(POLICY, halfJitter()).get("packs/aa/1"))
                .isInstanceOf(TransientBlobStoreException.class)
                .hasMessageContaining("packs/aa/1")
                .hasMessageContaining("after 6 attempts")
                .cause()
                .hasMessageContaining("throttling");
        assertThat(faulty.calls(GET)).isEqualTo(6);
        assertThat(time.sleeps()).hasSize(5);
    }

    @Test
    void givesUpWhenTheNextDelayWouldExceedTheTotalTime() {
        var policy = new RetryPolicy(100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3));
        faulty.failNext(GET, 100);

        assertThatThrownBy(() -> retrying(policy, halfJitter()).get("packs/aa/1"))
                .isInstanceOf(TransientBlobStoreException.class)
                .hasMessageContaining("after 7 attempts in PT3S");
        assertThat(time.sleeps()).hasSize(6).allMatch(ofMillis(500)::equals);
    }

    @Test
    void permanentFailuresAndMissingBlobsAreNotRetried() {
        faulty.failPermanently(GET, "packs/");
        var store = retrying(POLICY, halfJitter());

        assertThatThrownBy(() -> store.get("packs/aa/1"))
                .isInstanceOf(BlobStoreException.class)
                .isNotInstanceOf(TransientBlobStoreException.class);
        assertThatThrownBy(() -> store.get("index/missing")).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.get("../escape")).isInstanceOf(IllegalArgumentException.class);

        assertThat(faulty.calls(GET)).isEqualTo(3);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aCreateOnlyWriteWhoseResponseWasLostStillReportsThatItCreatedTheBlob() {
        faulty.loseResponseOfNext(PUT_IF_ABSENT, 1);

        assertThat(retrying(POLICY, halfJitter()).putIfAbsent("locks/l-1", bytes("owner a")))
                .isTrue();

        assertThat(stored.get("locks/l-1")).isEqualTo(bytes("owner a"));
        assertThat(faulty.calls(PUT_IF_ABSENT)).isEqualTo(2);
    }

    @Test
    void aCreateOnlyWriteThatLostARaceDuringItsRetriesReportsThatItDidNot() {
        faulty.failNext(PUT_IF_ABSENT, 1);
        // Another writer gets in while this one waits to retry.
        Sleeper rival = duration -> stored.put("locks/l-1", bytes("owner b"));
        var store = new RetryingBlobStore(faulty, POLICY, rival, time, halfJitter());

        assertThat(store.putIfAbsent("locks/l-1", bytes("owner a"))).isFalse();

        assertThat(stored.get("locks/l-1")).isEqualTo(bytes("owner b"));
    }

    @Test
    void aCreateOnlyWriteThatFindsABlobWithoutAnyFailureDoesNotReadIt() {
        stored.put("packs/aa/1", bytes("pack"));

        assertThat(retrying(POLICY, halfJitter()).putIfAbsent("packs/aa/1", bytes("pack")))
                .isFalse();

        assertThat(faulty.calls(GET)).isZero();
    }

    @Test
    void anInterruptedWaitStopsRetrying() {
        faulty.failNext(GET, 1);
        Sleeper interrupted = duration -> {
            throw new InterruptedException("shutting down");
        };
        var store = new RetryingBlobStore(faulty, POLICY, interrupted, time, halfJitter());

        try {
            assertThatThrownBy(() -> store.get("packs/aa/1"))
                    .isInstanceOf(BlobStoreException.class)
                    .isNotInstanceOf(TransientBlobStoreException.class)
                    .hasMessageContaining("Interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void rejectsAPolicyThatCannotWork() {
        assertThatThrownBy(() -> new RetryPolicy(0, ofMillis(100), ofMillis(200), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, ofMillis(100), ofMillis(50), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private RetryingBlobStore retrying(RetryPolicy policy, RandomGenerator random) {
        return new RetryingBlobStore(faulty, policy, time, time, random);
    }

    /** Jitter that always picks half the ceiling, so that delays are exact. */
    private static RandomGenerator halfJitter() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is used for jitter");
            }

            @Override
            public double nextDouble() {
                return 0.5;
            }
        };
    }
}
