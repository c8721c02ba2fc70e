package io.cloudconnector.scalez.blob;

import static io.cloudconnector.scalez.blob.BlobStoreContractTests.bytes;
import static io.cloudconnector.scalez.blob.BlobStoreContractTests.randomBytes;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.DELETE;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.GET;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.LIST;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.PUT;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.PUT_IF_ABSENT;
import static io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation.STAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultInjectingBlobStoreTests {

    private static final byte[] PACK = randomBytes(1_000, 5);

    private final InMemoryBlobStore stored = new InMemoryBlobStore();
    private final FakeTime time = new FakeTime();
    private final FaultInjectingBlobStore faulty = new FaultInjectingBlobStore(stored, 17, time);

    @Test
    void anOutageFailsTheNextCallsTransientlyWithoutReachingTheStore() {
        faulty.failNext(PUT_IF_ABSENT, 2);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> faulty.putIfAbsent("packs/aa/1", PACK))
                    .isInstanceOf(TransientBlobStoreException.class)
                    .hasMessageContaining("packs/aa/1")
                    .hasCauseInstanceOf(FaultInjectingBlobStore.InjectedFault.class);
        }
        assertThat(stored.stat("packs/aa/1")).isEmpty();

        assertThat(faulty.putIfAbsent("packs/aa/1", PACK)).isTrue();
        assertThat(faulty.calls(PUT_IF_ABSENT)).isEqualTo(3);
    }

    @Test
    void anOutageCanBeLimitedToAKeyPrefix() {
        stored.put("index/1", bytes("index"));
        stored.put("packs/aa/1", PACK);
        faulty.failNext(GET, "packs/", 1);

        assertThat(faulty.get("index/1")).isEqualTo(bytes("index"));
        assertThatThrownBy(() -> faulty.get("packs/aa/1")).isInstanceOf(TransientBlobStoreException.class);
        assertThat(faulty.get("packs/aa/1")).isEqualTo(PACK);
    }

    @Test
    void throttlingIsTransientAndSaysSo() {
        faulty.throttleNext(LIST, 1);

        assertThatThrownBy(() -> faulty.list("packs/"))
                .isInstanceOf(TransientBlobStoreException.class)
                .hasMessageContaining("SlowDown");
        assertThat(faulty.list("packs/")).isEmpty();
    }

    @Test
    void aLostResponseFailsAfterTheWriteTookEffect() {
        faulty.loseResponseOfNext(PUT, 1);

        assertThatThrownBy(() -> faulty.put("snapshots/rp-1", bytes("manifest")))
                .isInstanceOf(TransientBlobStoreException.class);

        assertThat(stored.get("snapshots/rp-1")).isEqualTo(bytes("manifest"));
    }

    @Test
    void aPermanentFailureLastsUntilHealed() {
        stored.put("packs/aa/1", PACK);
        faulty.failPermanently(DELETE, "packs/");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> faulty.delete("packs/aa/1"))
                    .isInstanceOf(BlobStoreException.class)
                    .isNotInstanceOf(TransientBlobStoreException.class);
        }
        faulty.delete("index/other");
        faulty.heal();
        faulty.delete("packs/aa/1");

        assertThat(stored.stat("packs/aa/1")).isEmpty();
    }

    @Test
    void aFlippedByteIsTheSameOneOnEveryReadAndDependsOnlyOnTheSeed() {
        stored.put("packs/aa/1", PACK);
        faulty.flipByte("packs/aa/1");

        var first = faulty.get("packs/aa/1");
        int position = onlyDifference(first, PACK);

        assertThat(first[position]).isEqualTo((byte) ~PACK[position]);
        assertThat(faulty.get("packs/aa/1")).isEqualTo(first);
        var sameSeed = new FaultInjectingBlobStore(stored, 17, time).flipByte("packs/aa/1");
        assertThat(sameSeed.get("packs/aa/1")).isEqualTo(first);
        assertThat(stored.get("packs/aa/1")).isEqualTo(PACK);
    }

    @Test
    void aFlippedByteShowsInTheRangesThatCoverIt() {
        stored.put("packs/aa/1", PACK);
        faulty.flipByteAt("packs/aa/1", 600);

        assertThat(onlyDifference(faulty.getRange("packs/aa/1", 500, 200), Arrays.copyOfRange(PACK, 500, 700)))
                .isEqualTo(100);
        assertThat(faulty.getRange("packs/aa/1", 0, 600)).isEqualTo(Arrays.copyOf(PACK, 600));
        assertThat(faulty.getRange("packs/aa/1", 601, 100)).isEqualTo(Arrays.copyOfRange(PACK, 601, 701));
        assertThat(onlyDifference(faulty.get("packs/aa/1"), PACK)).isEqualTo(600);
    }

    @Test
    void aTruncatedBlobReadsStatsAndListsShort() {
        stored.put("packs/aa/1", PACK);
        faulty.truncate("packs/aa/1", 300);

        assertThat(faulty.get("packs/aa/1")).isEqualTo(Arrays.copyOf(PACK, 300));
        assertThat(faulty.getRange("packs/aa/1", 250, 100)).isEqualTo(Arrays.copyOfRange(PACK, 250, 300));
        assertThat(faulty.getRange("packs/aa/1", 400, 100)).isEmpty();
        assertThat(faulty.stat("packs/aa/1"))
                .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(300));
        assertThat(faulty.list("packs/"))
                .singleElement()
                .satisfies(info -> assertThat(info.size()).isEqualTo(300));
        assertThatThrownBy(() -> faulty.getRange("packs/aa/missing", 400, 100))
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void latencyIsSpentOnTheInjectedSleeper() {
        stored.put("packs/aa/1", PACK);
        faulty.addLatency(STAT, Duration.ofMillis(250));

        faulty.stat("packs/aa/1");
        faulty.stat("packs/aa/2");
        faulty.get("packs/aa/1");

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void healingDropsEveryFault() {
        stored.put("packs/aa/1", PACK);
        faulty.failNext(GET, 5)
                .flipByte("packs/aa/1")
                .truncate("packs/aa/1", 10)
                .addLatency(GET, Duration.ofSeconds(1));

        faulty.heal();

        assertThat(faulty.get("packs/aa/1")).isEqualTo(PACK);
        assertThat(time.sleeps()).isEmpty();
    }

    private static int onlyDifference(byte[] actual, byte[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        var differences = IntStream.range(0, actual.length)
                .filter(i -> actual[i] != expected[i])
                .toArray();
        assertThat(differences).hasSize(1);
        return differences[0];
    }
}
