package io.cloudconnector.scalez.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link BlobStore} promises, run against each implementation by a subclass that supplies a new,
 * empty store per test.
 */
abstract class BlobStoreContractTests {

    static final int LARGE_BLOB_SIZE = 40 << 20;

    BlobStore store;

    /** A new, empty store; closed after the test. */
    abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void getReturnsWhatPutWrote() {
        store.put("config", bytes("repository config"));

        assertThat(store.get("config")).isEqualTo(bytes("repository config"));
    }

    @Test
    void putReplacesAnExistingBlob() {
        store.put("snapshots/rp-1", bytes("first"));
        store.put("snapshots/rp-1", bytes("second, longer"));

        assertThat(store.get("snapshots/rp-1")).isEqualTo(bytes("second, longer"));
        assertThat(store.stat("snapshots/rp-1"))
                .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(14));
    }

    @Test
    void putIfAbsentCreatesABlobOnlyOnce() {
        assertThat(store.putIfAbsent("locks/exclusive", bytes("owner a"))).isTrue();
        assertThat(store.putIfAbsent("locks/exclusive", bytes("owner b"))).isFalse();

        assertThat(store.get("locks/exclusive")).isEqualTo(bytes("owner a"));
    }

    @Test
    void concurrentPutIfAbsentHasExactlyOneWinner() throws Exception {
        int writers = 8;
        var start = new CountDownLatch(1);
        var results = new ArrayList<Future<Boolean>>();
        try (var executor = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                var content = bytes("writer " + i);
                results.add(executor.submit(() -> {
                    start.await();
                    return store.putIfAbsent("locks/race", content);
                }));
            }
            start.countDown();
        }
        var winners = IntStream.range(0, writers)
                .filter(i -> join(results.get(i)))
                .boxed()
                .toList();

        assertThat(winners).hasSize(1);
        assertThat(store.get("locks/race")).isEqualTo(bytes("writer " + winners.getFirst()));
    }

    @Test
    void getRangeReadsTheRequestedSliceAndStopsAtTheEnd() {
        var data = randomBytes(100, 1);
        store.put("packs/00/slice", data);

        assertThat(store.getRange("packs/00/slice", 10, 20)).isEqualTo(Arrays.copyOfRange(data, 10, 30));
        assertThat(store.getRange("packs/00/slice", 0, 100)).isEqualTo(data);
        assertThat(store.getRange("packs/00/slice", 90, 20)).isEqualTo(Arrays.copyOfRange(data, 90, 100));
        assertThat(store.getRange("packs/00/slice", 100, 5)).isEmpty();
        assertThat(store.getRange("packs/00/slice", 1_000, 5)).isEmpty();
        assertThat(store.getRange("packs/00/slice", 5, 0)).isEmpty();
    }

    @Test
    void getRangeRejectsNegativeArguments() {
        store.put("packs/00/slice", bytes("data"));

        assertThatThrownBy(() -> store.getRange("packs/00/slice", -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.getRange("packs/00/slice", 0, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statDescribesAStoredBlob() {
        var before = Instant.now();
        store.put("index/ab12", randomBytes(1234, 2));

        var info = store.stat("index/ab12").orElseThrow();

        assertThat(info.key()).isEqualTo("index/ab12");
        assertThat(info.size()).isEqualTo(1234);
        // S3 keeps whole seconds and its clock is not ours: only check the time is today's, not a default.
        assertThat(info.lastModified())
                .isBetween(before.minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofMinutes(5)));
    }

    @Test
    void aMissingBlobIsNotFoundEverywhere() {
        store.put("packs/aa/other", bytes("x"));

        assertThat(store.stat("packs/aa/missing")).isEmpty();
        assertThatThrownBy(() -> store.get("packs/aa/missing"))
                .isInstanceOf(BlobNotFoundException.class)
                .hasMessageContaining("packs/aa/missing");
        assertThatThrownBy(() -> store.getRange("packs/aa/missing", 0, 10)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("packs/aa/missing", 0, 0)).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void listReturnsTheBlobsUnderAPrefixInKeyOrder() {
        var keys = new ArrayList<>(List.of(
                "packs/3f/3f01",
                "packs/3f/3f00",
                "packs/30/3000",
                "packs/4a/4a00",
                "packs3",
                "index/3f00",
                "snapshots/2024/02/b",
                "snapshots/2024/01/a",
                "snapshots/2024-index"));
        Collections.shuffle(keys, new Random(7));
        keys.forEach(key -> store.put(key, bytes(key)));

        assertThat(keysOf(store.list("packs/3"))).containsExactly("packs/30/3000", "packs/3f/3f00", "packs/3f/3f01");
        assertThat(keysOf(store.list("packs/")))
                .containsExactly("packs/30/3000", "packs/3f/3f00", "packs/3f/3f01", "packs/4a/4a00");
        // '-' sorts before '/', so a sibling of a directory comes before the directory's contents.
        assertThat(keysOf(store.list("snapshots/2024")))
                .containsExactly("snapshots/2024-index", "snapshots/2024/01/a", "snapshots/2024/02/b");
        assertThat(keysOf(store.list("snapshots/2024/"))).containsExactly("snapshots/2024/01/a", "snapshots/2024/02/b");
        assertThat(keysOf(store.list("")))
                .containsExactlyElementsOf(keys.stream().sorted().toList());
        assertThat(store.list("nothing/")).isEmpty();
        assertThat(store.list("packs/3f/3f00"))
                .singleElement()
                .satisfies(info -> assertThat(info.size()).isEqualTo("packs/3f/3f00".length()));
    }

    @Test
    void listReturnsEveryBlobWhenThereAreMoreThanAThousand() {
        var keys = IntStream.range(0, 1_100).mapToObj("many/%05d"::formatted).toList();
        var shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(11));
        // Written four at a time only to keep the test short on S3; the order of writes does not matter.
        try (var executor = Executors.newFixedThreadPool(4)) {
            shuffled.forEach(key -> executor.execute(() -> store.put(key, new byte[] {1})));
        }

        assertThat(keysOf(store.list("many/"))).containsExactlyElementsOf(keys);
    }

    @Test
    void deleteRemovesABlobAndDeletingAgainIsNotAnError() {
        store.put("snapshots/rp-9", bytes("manifest"));

        store.delete("snapshots/rp-9");
        store.delete("snapshots/rp-9");
        store.delete("snapshots/never-written");

        assertThat(store.stat("snapshots/rp-9")).isEmpty();
        assertThatThrownBy(() -> store.get("snapshots/rp-9")).isInstanceOf(BlobNotFoundException.class);
        assertThat(store.list("snapshots/")).isEmpty();
        assertThat(store.putIfAbsent("snapshots/rp-9", bytes("again"))).isTrue();
    }

    @Test
    void anEmptyBlobIsStillABlob() {
        assertThat(store.putIfAbsent("locks/empty", new byte[0])).isTrue();

        assertThat(store.get("locks/empty")).isEmpty();
        assertThat(store.getRange("locks/empty", 0, 10)).isEmpty();
        assertThat(store.stat("locks/empty"))
                .hasValueSatisfying(info -> assertThat(info.size()).isZero());
        assertThat(store.list("locks/")).extracting(BlobInfo::key).containsExactly("locks/empty");
        assertThat(store.putIfAbsent("locks/empty", bytes("x"))).isFalse();
    }

    @Test
    void aLargeBlobRoundTripsAndIsNeverReplacedByACreateOnlyWrite() {
        var data = randomBytes(LARGE_BLOB_SIZE, 3);

        assertThat(store.putIfAbsent("packs/ff/large", data)).isTrue();
        assertThat(store.putIfAbsent("packs/ff/large", randomBytes(LARGE_BLOB_SIZE, 4)))
                .isFalse();

        assertThat(store.get("packs/ff/large")).isEqualTo(data);
        assertThat(store.stat("packs/ff/large"))
                .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(data.length));
        int acrossParts = (8 << 20) - 100;
        assertThat(store.getRange("packs/ff/large", acrossParts, 200))
                .isEqualTo(Arrays.copyOfRange(data, acrossParts, acrossParts + 200));
        assertThat(store.getRange("packs/ff/large", data.length - 10, 100))
                .isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
    }

    @Test
    void callersCannotChangeStoredBytes() {
        var written = bytes("immutable");
        store.put("config", written);
        written[0] = 'X';
        store.get("config")[1] = 'X';

        assertThat(store.get("config")).isEqualTo(bytes("immutable"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/etc/passwd",
                "a//b",
                "a/../b",
                "..",
                "../outside",
                "a/",
                "./a",
                "a/./b",
                "a\\b",
                "packs/.scalez-tmp-1"
            })
    void invalidKeysAreRejected(String key) {
        assertThatThrownBy(() -> store.put(key, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putIfAbsent(key, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "a//", "../", "a/../"})
    void invalidListPrefixesAreRejected(String prefix) {
        assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int size, long seed) {
        var data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static List<String> keysOf(List<BlobInfo> infos) {
        return infos.stream().map(BlobInfo::key).toList();
    }

    private static boolean join(Future<Boolean> result) {
        try {
            return result.get();
        } catch (Exception e) {
            throw new AssertionError("A writer failed", e);
        }
    }
}
