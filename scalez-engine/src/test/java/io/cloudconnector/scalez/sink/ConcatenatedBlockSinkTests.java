package io.cloudconnector.scalez.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConcatenatedBlockSink} hands each block to the part that owns it, in that part's own numbering. */
class ConcatenatedBlockSinkTests {

    private static final int BLOCK = 512 * 1024;

    /** Records what it was told. */
    static final class Recording implements BlockSink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void start(long size) {
            calls.add("start " + size);
        }

        @Override
        public void writeBlock(long index, byte[] data, int length) {
            calls.add("write " + index + " " + length + " " + data[0]);
        }

        @Override
        public void zeroBlock(long index, int length) {
            calls.add("zero " + index + " " + length);
        }

        @Override
        public void finish() {
            calls.add("finish");
        }
    }

    @Test
    void blocksGoToTheirPartRenumberedFromZero() {
        var first = new Recording();
        var second = new Recording();
        var sink = ConcatenatedBlockSink.of(List.of(
                new ConcatenatedBlockSink.Part(first, 2L * BLOCK), new ConcatenatedBlockSink.Part(second, 3L * BLOCK)));

        sink.start(5L * BLOCK);
        sink.writeBlock(1, new byte[] {1}, BLOCK);
        sink.writeBlock(2, new byte[] {2}, BLOCK);
        sink.zeroBlock(4, BLOCK);
        sink.finish();

        assertThat(first.calls).containsExactly("start " + 2L * BLOCK, "write 1 " + BLOCK + " 1", "finish");
        assertThat(second.calls)
                .containsExactly("start " + 3L * BLOCK, "write 0 " + BLOCK + " 2", "zero 2 " + BLOCK, "finish");
    }

    @Test
    void aPartWithAShortLastBlockGetsOnlyItsOwnBytes() {
        var first = new Recording();
        var second = new Recording();
        var sink = ConcatenatedBlockSink.of(List.of(
                new ConcatenatedBlockSink.Part(first, BLOCK + 100), new ConcatenatedBlockSink.Part(second, BLOCK)));

        sink.start(3L * BLOCK);
        sink.writeBlock(1, new byte[] {7}, BLOCK);
        sink.writeBlock(2, new byte[] {8}, BLOCK);

        assertThat(first.calls).contains("write 1 100 7");
        assertThat(second.calls).contains("write 0 " + BLOCK + " 8");
    }

    @Test
    void aRecoveryPointOfAnotherSizeIsRefusedBeforeAnythingStarts() {
        var part = new Recording();
        var sink = ConcatenatedBlockSink.of(List.of(new ConcatenatedBlockSink.Part(part, BLOCK)));

        assertThatThrownBy(() -> sink.start(2L * BLOCK)).hasMessageContaining("holds " + 2L * BLOCK + " bytes");
        assertThatThrownBy(() -> sink.writeBlock(1, new byte[BLOCK], BLOCK)).hasMessageContaining("outside");
        assertThat(part.calls).isEmpty();
    }
}
