package io.cloudconnector.scalez.source;

import io.cloudconnector.scalez.ScalezException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Optional;

/** A block image file or a block device node. */
public final class ImageFileSource implements BlockSource {

    private final Path path;
    private final FileChannel channel;
    private final long size;

    private ImageFileSource(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens an image file or block device for reading. */
    public static ImageFileSource open(Path path) {
        try {
            var channel = FileChannel.open(path, StandardOpenOption.READ);
            long size = Files.isRegularFile(path) ? channel.size() : DeviceSize.of(path, channel);
            return new ImageFileSource(path, channel, size);
        } catch (IOException e) {
            throw new ScalezException("Cannot open block image " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * For a regular file, the blocks that overlap its data as the file system tells ({@code SEEK_DATA}): the
     * holes of a sparse image are never read. A block device, or a file system that cannot tell, reads whole.
     */
    @Override
    public Optional<BitSet> allocatedBlocks() {
        return Files.isRegularFile(path) ? SparseMap.dataBlocks(path, size, BLOCK_SIZE) : Optional.empty();
    }

    @Override
    public void readBlock(long index, byte[] buffer) {
        int length = blockLength(index);
        var bb = ByteBuffer.wrap(buffer, 0, length);
        long position = index * BLOCK_SIZE;
        try {
            while (bb.hasRemaining()) {
                int n = channel.read(bb, position + bb.position());
                if (n < 0) {
                    throw new ScalezException("Block image " + path + " ended at " + (position + bb.position())
                            + " before its size " + size);
                }
            }
        } catch (IOException e) {
            throw new ScalezException("Cannot read block " + index + " of " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return path.toAbsolutePath().toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new ScalezException("Cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
