package io.cloudconnector.scalez.source;

import java.util.BitSet;
import java.util.Optional;

/**
 * A block device or image read in fixed 512 KiB blocks aligned to the device (the EBS block size).
 * Implementations are thread-safe: the engine reads several blocks at once. An EBS direct-API source
 * (ListSnapshotBlocks / GetSnapshotBlock) implements this too.
 */
public interface BlockSource extends AutoCloseable {

    /** The block size every source reads in: 512 KiB. */
    int BLOCK_SIZE = 512 * 1024;

    /** Size of the device in bytes. */
    long size();

    /** Number of blocks, the last one possibly short. */
    default long blockCount() {
        return (size() + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    /** Length of block {@code index}: {@link #BLOCK_SIZE} except for a short last block. */
    default int blockLength(long index) {
        return (int) Math.min(BLOCK_SIZE, size() - index * BLOCK_SIZE);
    }

    /** Reads block {@code index} into the start of {@code buffer}, which holds at least {@link #blockLength}. */
    void readBlock(long index, byte[] buffer);

    /**
     * The blocks that may hold data, when the source knows (EBS lists written blocks); every other block
     * reads as zeros and need not be read. Empty when unknown.
     */
    default Optional<BitSet> allocatedBlocks() {
        return Optional.empty();
    }

    /** What is being read, for recovery-point metadata and messages. */
    String description();

    @Override
    default void close() {}
}
