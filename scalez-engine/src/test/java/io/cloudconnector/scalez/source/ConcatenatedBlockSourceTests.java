package io.cloudconnector.scalez.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ConcatenatedBlockSource} reads several devices as one, each from a block boundary. */
class ConcatenatedBlockSourceTests {

    private static final int BLOCK = BlockSource.BLOCK_SIZE;

    /** Every byte of block i is (seed + i); knows its allocation when given one. */
    record Filled(long size, byte seed, Optional<BitSet> allocated) implements BlockSource {

        @Override
        public void readBlock(long index, byte[] buffer) {
            Arrays.fill(buffer, 0, blockLength(index), (byte) (seed + index));
        }

        @Override
        public Optional<BitSet> allocatedBlocks() {
            return allocated;
        }

        @Override
        public String description() {
            return "filled-" + seed;
        }
    }

    @Test
    void partsFollowEachOtherFromBlockBoundariesWithZerosAfterAShortLastBlock() {
        var source = ConcatenatedBlockSource.of(List.of(
                new Filled(BLOCK + 10, (byte) 10, Optional.empty()),
                new Filled(2L * BLOCK, (byte) 20, Optional.empty())));

        assertThat(source.size()).isEqualTo(4L * BLOCK);
        assertThat(source.firstBlockOf(0)).isZero();
        assertThat(source.firstBlockOf(1)).isEqualTo(2);
        assertThat(source.description()).isEqualTo("filled-10 + filled-20");
        var buffer = new byte[BLOCK];
        Arrays.fill(buffer, (byte) 99);
        source.readBlock(1, buffer);
        assertThat(Arrays.copyOf(buffer, 10)).containsOnly((byte) 11);
        assertThat(Arrays.copyOfRange(buffer, 10, BLOCK)).containsOnly((byte) 0);
        source.readBlock(3, buffer);
        assertThat(buffer).containsOnly((byte) 21);
        assertThat(source.allocatedBlocks()).isEmpty();
    }

    @Test
    void allocationIsShiftedIntoTheWholeAndAPartWithoutOneCountsAsFull() {
        var known = new BitSet();
        known.set(1);
        var source = ConcatenatedBlockSource.of(List.of(
                new Filled(2L * BLOCK, (byte) 0, Optional.empty()),
                new Filled(3L * BLOCK, (byte) 0, Optional.of(known))));

        var expected = new BitSet();
        expected.set(0, 2);
        expected.set(3);
        assertThat(source.allocatedBlocks()).contains(expected);
    }
}
