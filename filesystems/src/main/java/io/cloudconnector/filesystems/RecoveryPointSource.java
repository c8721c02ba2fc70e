package io.cloudconnector.filesystems;

import io.cloudconnector.scalez.restore.RecoveryPointReader;
import java.util.function.Supplier;

/**
 * A recovery point's bytes (a block device image, or one file of a tree) as a {@link ByteSource}. The
 * engine's reader serialises its callers and caches a few chunks, so each scanning thread gets a reader of
 * its own: threads then fetch and decrypt chunks in parallel, which is what hides S3 latency.
 */
public final class RecoveryPointSource implements ByteSource {

    private final ThreadLocal<RecoveryPointReader> readers;
    private final long size;

    public RecoveryPointSource(Supplier<RecoveryPointReader> opener) {
        this.readers = ThreadLocal.withInitial(opener);
        this.size = readers.get().size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) {
        return readers.get().read(position, buffer, offset, length);
    }
}
