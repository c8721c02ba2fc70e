package io.cloudconnector.scalez.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseMapTests {

    private static final int BLOCK = BlockSource.BLOCK_SIZE;

    @TempDir
    Path dir;

    @Test
    void findsTheBlocksThatHoldDataInASparseImage() throws IOException {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        var image = dir.resolve("sparse.img");
        long size = 40L * BLOCK + 1000; // the last block is short
        try (var ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, 3L * BLOCK + 100, 10); // inside block 3
            write(ch, 9L * BLOCK - 5, 10); // across blocks 8 and 9
            write(ch, 20L * BLOCK, 3 * BLOCK); // blocks 20 to 22 exactly
            write(ch, size - 1, 1); // the short last block
        }
        var map = SparseMap.dataBlocks(image, size, BLOCK);
        Assumptions.assumeTrue(map.isPresent(), "no native access here");
        var data = map.get();
        // The file system may report data in larger extents than written, never smaller: every written block is
        // there, and a block far from any write is not (ext4, xfs and tmpfs track holes at 4 KiB or finer).
        for (int b : new int[] {3, 8, 9, 20, 21, 22, 40}) {
            assertThat(data.get(b)).as("block %d", b).isTrue();
        }
        for (int b : new int[] {0, 1, 5, 14, 30, 38}) {
            assertThat(data.get(b)).as("block %d", b).isFalse();
        }
        var source = ImageFileSource.open(image);
        try {
            assertThat(source.allocatedBlocks()).contains(data);
            // Every block outside the map reads as zeros.
            var buffer = new byte[BLOCK];
            for (long b = 0; b < source.blockCount(); b++) {
                if (!data.get((int) b)) {
                    source.readBlock(b, buffer);
                    int length = source.blockLength(b);
                    assertThat(java.util.Arrays.mismatch(buffer, 0, length, new byte[length], 0, length))
                            .as("block %d", b)
                            .isEqualTo(-1);
                }
            }
        } finally {
            source.close();
        }
    }

    @Test
    void anAllHoleFileHasNoDataBlocksAndAFullFileHasAll() throws IOException {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        var holes = dir.resolve("holes.img");
        try (var ch = FileChannel.open(holes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        try (var f = new java.io.RandomAccessFile(holes.toFile(), "rw")) {
            f.setLength(8L * BLOCK);
        }
        var empty = SparseMap.dataBlocks(holes, 8L * BLOCK, BLOCK);
        Assumptions.assumeTrue(empty.isPresent(), "no native access here");
        assertThat(empty.get()).isEqualTo(new BitSet());

        var full = dir.resolve("full.img");
        Files.write(full, new byte[2 * BLOCK + 7]);
        var all = new BitSet();
        all.set(0, 3);
        assertThat(SparseMap.dataBlocks(full, 2L * BLOCK + 7, BLOCK)).contains(all);
    }

    private static void write(FileChannel ch, long position, int length) throws IOException {
        var bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) 1);
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            ch.write(buffer, position + buffer.position());
        }
    }
}
