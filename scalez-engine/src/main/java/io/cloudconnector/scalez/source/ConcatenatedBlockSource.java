package io.cloudconnector.scalez.source;

import io.cloudconnector.scalez.ScalezException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Several block devices read as one, each starting at a block boundary (a part whose size is not a whole number
 * of blocks is padded with zeros up to the next one, except the last): the volumes of an instance backed up as
 * one recovery point. {@link #firstBlockOf} maps a part's blocks into the whole.
 */
public final class ConcatenatedBlockSource implements BlockSource {

    private final List<BlockSource> parts;
    private final long[] firstBlocks;
    private final long size;

    private ConcatenatedBlockSource(List<BlockSource> parts) {
        if (parts.isEmpty()) {
            throw new ScalezException("Nothing to concatenate");
        }
        this.parts = List.copyOf(parts);
        this.firstBlocks = new long[parts.size()];
        long block = 0;
        for (int i = 0; i < parts.size(); i++) {
            firstBlocks[i] = block;
            block += parts.get(i).blockCount();
        }
        var last = parts.getLast();
        this.size = firstBlocks[parts.size() - 1] * BLOCK_SIZE + last.size();
    }

    /** The parts in order. */
    public static ConcatenatedBlockSource of(List<? extends BlockSource> parts) {
        return new ConcatenatedBlockSource(List.copyOf(parts));
    }

    /** The index, in the whole, of the first block of part {@code part}. */
    public long firstBlockOf(int part) {
        return firstBlocks[part];
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void readBlock(long index, byte[] buffer) {
        int part = partOf(index);
        var source = parts.get(part);
        long local = index - firstBlocks[part];
        int length = source.blockLength(local);
        source.readBlock(local, buffer);
        // The padding after a part's short last block.
        Arrays.fill(buffer, length, blockLength(index), (byte) 0);
    }

    /** Allocated blocks when every part knows its own; a part that does not counts as wholly allocated. */
    @Override
    public Optional<BitSet> allocatedBlocks() {
        if (parts.stream().allMatch(p -> p.allocatedBlocks().isEmpty())) {
            return Optional.empty();
        }
        var all = new BitSet();
        for (int i = 0; i < parts.size(); i++) {
            int first = (int) firstBlocks[i];
            var own = parts.get(i).allocatedBlocks();
            if (own.isPresent()) {
                own.get().stream().forEach(b -> all.set(first + b));
            } else {
                all.set(first, first + (int) parts.get(i).blockCount());
            }
        }
        return Optional.of(all);
    }

    @Override
    public String description() {
        return parts.stream().map(BlockSource::description).collect(Collectors.joining(" + "));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (var part : parts) {
            try {
                part.close();
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

    private int partOf(long index) {
        if (index < 0 || index >= blockCount()) {
            throw new ScalezException("Block " + index + " is outside " + description());
        }
        int found = Arrays.binarySearch(firstBlocks, index);
        int part = found >= 0 ? found : -found - 2;
        // Skip empty parts, which share their first block with the next one.
        while (part + 1 < firstBlocks.length && firstBlocks[part + 1] == index) {
            part++;
        }
        return part;
    }
}
