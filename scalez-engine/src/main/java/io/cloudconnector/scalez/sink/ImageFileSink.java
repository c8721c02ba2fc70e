package io.cloudconnector.scalez.sink;

import io.cloudconnector.scalez.ScalezException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Restores into an image file, made sparse (zero blocks are holes, never written), or into a block device,
 * where zero blocks must be written because the device may hold old data.
 */
public final class ImageFileSink implements BlockSink {

    private static final int BLOCK_SIZE = 512 * 1024;
    private static final byte[] ZEROS = new byte[BLOCK_SIZE];

    private final Path path;
    private final FileChannel channel;
    private final boolean device;

    private ImageFileSink(Path path, FileChannel channel, boolean device) {
        this.path = path;
        this.channel = channel;
        this.device = device;
    }

    /** Creates or replaces an image file, or opens an existing block device, at {@code path}. */
    public static ImageFileSink open(Path path) {
        try {
            boolean device = Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
            var channel = device
                    ? FileChannel.open(path, StandardOpenOption.WRITE)
                    : FileChannel.open(
                            path,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING);
            return new ImageFileSink(path, channel, device);
        } catch (IOException e) {
            throw new ScalezException("Cannot open restore target " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void start(long size) {
        if (device) {
            return;
        }
        try {
            // Extending with a write of one byte at the end leaves a hole before it: a sparse file.
            if (size > 0) {
                channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
        } catch (IOException e) {
            throw new ScalezException("Cannot size restore target " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeBlock(long index, byte[] data, int length) {
        var buffer = ByteBuffer.wrap(data, 0, length);
        long position = index * BLOCK_SIZE;
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, position + buffer.position());
            }
        } catch (IOException e) {
            throw new ScalezException("Cannot write block " + index + " of " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void zeroBlock(long index, int length) {
        if (device) {
            writeBlock(index, ZEROS, length);
        }
    }

    @Override
    public void finish() {
        if (!device) {
            // Like cp and restic, an image file is left to the page cache; a device is flushed, since a restore
            // to a disk is usually followed by booting from it.
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new ScalezException("Cannot flush " + path + ": " + e.getMessage(), e);
        }
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
