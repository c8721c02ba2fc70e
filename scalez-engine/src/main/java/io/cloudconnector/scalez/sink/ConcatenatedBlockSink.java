package io.cloudconnector.scalez.sink;

import io.cloudconnector.scalez.ScalezException;
import java.util.Arrays;
import java.util.List;

/**
 * Restores one block recovery point into several sinks, each taking its range of blocks: the counterpart of
 * {@code ConcatenatedBlockSource} (an instance's volumes restored from one recovery point). Each part starts at a
 * block boundary; the zeros padding a part's short last block are not written.
 */
public final class ConcatenatedBlockSink implements BlockSink {

    private static final int BLOCK_SIZE = 512 * 1024;

    /** One target and its size in bytes. */
    public record Part(BlockSink sink, long size) {

        long blockCount() {
            return (size + BLOCK_SIZE - 1) / BLOCK_SIZE;
        }
    }

    private final List<Part> parts;
    private final long[] firstBlocks;
    private final long size;

    private ConcatenatedBlockSink(List<Part> parts) {
        if (parts.isEmpty()) {
            throw new ScalezException("Nothing to restore into");
        }
        this.parts = List.copyOf(parts);
        this.firstBlocks = new long[parts.size()];
        long block = 0;
        for (int i = 0; i < parts.size(); i++) {
            firstBlocks[i] = block;
            block += parts.get(i).blockCount();
        }
        this.size = firstBlocks[parts.size() - 1] * BLOCK_SIZE + parts.getLast().size();
    }

    /** The parts in order. */
    public static ConcatenatedBlockSink of(List<Part> parts) {
        return new ConcatenatedBlockSink(parts);
    }

    /** Starts every part; {@code total} must be what the parts add up to. */
    @Override
    public void start(long total) {
        if (total != size) {
            throw new ScalezException("The recovery point holds " + total + " bytes, the targets " + size);
        }
        parts.forEach(p -> p.sink().start(p.size()));
    }

    @Override
    public void writeBlock(long index, byte[] data, int length) {
        int part = partOf(index);
        long local = index - firstBlocks[part];
        parts.get(part).sink().writeBlock(local, data, Math.min(length, lengthIn(part, local)));
    }

    @Override
    public void zeroBlock(long index, int length) {
        int part = partOf(index);
        long local = index - firstBlocks[part];
        parts.get(part).sink().zeroBlock(local, Math.min(length, lengthIn(part, local)));
    }

    /** Finishes the parts in order; the first failure stops it. */
    @Override
    public void finish() {
        parts.forEach(p -> p.sink().finish());
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (var part : parts) {
            try {
                part.sink().close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private int lengthIn(int part, long local) {
        return (int) Math.min(BLOCK_SIZE, parts.get(part).size() - local * BLOCK_SIZE);
    }

    private int partOf(long index) {
        int found = Arrays.binarySearch(firstBlocks, index);
        int part = found >= 0 ? found : -found - 2;
        while (part + 1 < firstBlocks.length && firstBlocks[part + 1] == index) {
            part++;
        }
        if (index < 0
                || part < 0
                || index - firstBlocks[part] >= parts.get(part).blockCount()) {
            throw new ScalezException("Block " + index + " is outside the " + parts.size() + " restore targets");
        }
        return part;
    }
}
