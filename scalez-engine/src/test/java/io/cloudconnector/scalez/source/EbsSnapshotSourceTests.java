package io.cloudconnector.scalez.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.ScalezException;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ebs.EbsClient;

/**
 * {@link EbsSnapshotSource} against a local stub of the EBS direct APIs with AWS's semantics: pages, tokens,
 * checksums, throttling and refusals, and changed blocks that exist only in the newer snapshot (the emulator
 * misses those).
 */
class EbsSnapshotSourceTests {

    private static final int BLOCK = BlockSource.BLOCK_SIZE;

    private final EbsStub.RecordedPauses pauses = new EbsStub.RecordedPauses();
    private final EbsTransferOptions options = EbsTransferOptions.defaults()
            .withConcurrency(4)
            .withRetries(4, Duration.ofMillis(100), Duration.ofMillis(400))
            .withPause(pauses, () -> 0.5);
    private EbsStub stub;
    private EbsClient ebs;

    @BeforeEach
    void start() throws Exception {
        stub = new EbsStub();
        ebs = stub.client();
    }

    @AfterEach
    void stop() {
        ebs.close();
        stub.close();
    }

    @Test
    void listsEveryPageAndReadsEachBlockWithItsTokenAndUnlistedBlocksAsZeros() {
        var blocks = blocks(0, 3, 4, 9, 100, 2047);
        stub.add("snap-a", 1, blocks);
        stub.pageSize(2);

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            assertThat(source.size()).isEqualTo(1L << 30);
            assertThat(source.blockCount()).isEqualTo(2048);
            assertThat(source.blocksToRead()).isEqualTo(6);
            assertThat(source.allocatedBlocks()).contains(bits(0, 3, 4, 9, 100, 2047));
            assertThat(stub.requests("ListSnapshotBlocks")).hasSize(3);
            var buffer = new byte[BLOCK];
            for (long index : new long[] {0, 3, 4, 9, 100, 2047}) {
                source.readBlock(index, buffer);
                assertThat(buffer).as("block %d", index).isEqualTo(blocks.get(index));
            }
            buffer[7] = 1;
            source.readBlock(5, buffer);
            assertThat(buffer).isEqualTo(new byte[BLOCK]);
        }
        assertThat(stub.requests("GetSnapshotBlock"))
                .hasSize(6)
                .allSatisfy(r -> assertThat(r.query().get("blockToken"))
                        .startsWith("token-snap-a-" + r.path().split("/")[4] + "-"));
    }

    @Test
    void readsSeveralBlocksAtOnceAheadOfTheReader() {
        stub.add("snap-a", 1, blocks(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        stub.holdReadsUntilConcurrent(4);

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            source.readBlock(0, new byte[BLOCK]);
        }

        assertThat(stub.maxReadsInFlight()).isEqualTo(4);
    }

    @Test
    void throttledAndFailedReadsAreTriedAgainAfterGrowingJitteredPauses() {
        var blocks = blocks(7);
        stub.add("snap-a", 1, blocks);
        stub.fail("GetSnapshotBlock", 1, 400, "ThrottlingException");
        stub.fail("GetSnapshotBlock", 1, 429, "RequestThrottledException");
        stub.fail("GetSnapshotBlock", 1, 500, "InternalServerException");

        var buffer = new byte[BLOCK];
        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            source.readBlock(7, buffer);
        }

        assertThat(buffer).isEqualTo(blocks.get(7L));
        assertThat(stub.requests("GetSnapshotBlock")).hasSize(4);
        // Jitter fixed at 0.5: half of 100, 200, 400 ms.
        assertThat(pauses.pauses())
                .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aBlockThatDoesNotMatchItsChecksumIsReadAgain() {
        var blocks = blocks(1);
        stub.add("snap-a", 1, blocks);
        stub.corruptReads(2);

        var buffer = new byte[BLOCK];
        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            source.readBlock(1, buffer);
        }

        assertThat(buffer).isEqualTo(blocks.get(1L));
        assertThat(stub.requests("GetSnapshotBlock")).hasSize(3);
    }

    @Test
    void aBlockThatNeverMatchesItsChecksumFailsNamingItAfterTheLastAttempt() {
        stub.add("snap-a", 1, blocks(1));
        stub.corruptReads(4);

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            assertThatThrownBy(() -> source.readBlock(1, new byte[BLOCK]))
                    .isInstanceOf(ScalezException.class)
                    .hasMessageContaining("Cannot read block 1 of snap-a after 4 attempts")
                    .hasMessageContaining("does not match its checksum");
        }
        assertThat(stub.requests("GetSnapshotBlock")).hasSize(4);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"403, AccessDeniedException", "400, ValidationException", "404, ResourceNotFoundException"})
    void aRefusedReadIsNotTriedAgain(int status, String code) {
        stub.add("snap-a", 1, blocks(1));
        stub.fail("GetSnapshotBlock", 1, status, code);

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            assertThatThrownBy(() -> source.readBlock(1, new byte[BLOCK]))
                    .hasMessageStartingWith("Cannot read block 1 of snap-a: ")
                    .hasMessageContaining(code);
        }
        assertThat(stub.requests("GetSnapshotBlock")).hasSize(1);
        assertThat(pauses.pauses()).isEmpty();
    }

    @Test
    void aThrottledListingIsTriedAgain() {
        stub.add("snap-a", 1, blocks(2));
        stub.fail("ListSnapshotBlocks", 2, 429, "RequestThrottledException");

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            assertThat(source.blocksToRead()).isEqualTo(1);
        }
        assertThat(stub.requests("ListSnapshotBlocks")).hasSize(3);
    }

    @Test
    void changedBlocksIncludeNewAndEmptiedBlocksAndReadTheNewerSnapshot() {
        var older = blocks(1, 2, 3);
        var newer = new HashMap<>(older);
        newer.put(2L, block(2002));
        newer.remove(3L);
        newer.put(50L, block(5050));
        stub.add("snap-old", 1, older);
        stub.add("snap-new", 1, newer);
        stub.pageSize(1);

        try (var source = EbsSnapshotSource.changedSince(ebs, "snap-old", "snap-new", options)) {
            assertThat(source.changedBlocks()).contains(bits(2, 3, 50));
            assertThat(source.allocatedBlocks()).isEmpty();
            assertThat(source.blocksToRead()).isEqualTo(2);
            var buffer = new byte[BLOCK];
            source.readBlock(2, buffer);
            assertThat(buffer).isEqualTo(newer.get(2L));
            source.readBlock(3, buffer);
            assertThat(buffer).isEqualTo(new byte[BLOCK]);
            source.readBlock(50, buffer);
            assertThat(buffer).isEqualTo(newer.get(50L));
            assertThatThrownBy(() -> source.readBlock(1, new byte[BLOCK])).hasMessageContaining("did not change");
        }
        assertThat(stub.requests("ListChangedBlocks"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.query()).containsEntry("firstSnapshotId", "snap-old"));
        assertThat(stub.requests("GetSnapshotBlock"))
                .extracting(r -> r.path().split("/")[2])
                .containsOnly("snap-new");
    }

    @Test
    void aBlockOfTheWrongLengthIsRefused() {
        stub.add("snap-a", 1, Map.of(0L, new byte[1000]));

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            assertThatThrownBy(() -> source.readBlock(0, new byte[BLOCK])).hasMessageContaining("came with 1000 bytes");
        }
    }

    @Test
    void aBlockLongerThan512KiBIsRefused() {
        stub.add("snap-a", 1, Map.of(0L, new byte[BLOCK + 1]));

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            assertThatThrownBy(() -> source.readBlock(0, new byte[BLOCK]))
                    .hasMessageContaining("came with more than " + BLOCK + " bytes");
        }
    }

    @Test
    void manyBlocksReadInOrderThroughReusedBuffersAreEachTheirOwn() {
        // The source reads into the arrays of blocks the engine has copied out of: no block may show another's data.
        var indexes = new long[100];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = 3L * i;
        }
        stub.add("snap-a", 1, blocks(indexes));

        try (var source = EbsSnapshotSource.of(ebs, "snap-a", options)) {
            var buffer = new byte[BLOCK];
            for (long index = 0; index < 300; index++) {
                source.readBlock(index, buffer);
                assertThat(buffer).as("block %d", index).isEqualTo(index % 3 == 0 ? block(index) : new byte[BLOCK]);
            }
        }
    }

    static Map<Long, byte[]> blocks(long... indexes) {
        Map<Long, byte[]> blocks = new HashMap<>();
        for (long index : indexes) {
            blocks.put(index, block(index));
        }
        return blocks;
    }

    static byte[] block(long seed) {
        var data = new byte[BLOCK];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    static BitSet bits(int... indexes) {
        var bits = new BitSet();
        for (int i : indexes) {
            bits.set(i);
        }
        return bits;
    }
}
