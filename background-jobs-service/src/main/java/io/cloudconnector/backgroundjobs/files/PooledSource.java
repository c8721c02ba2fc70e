package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.filesystems.ByteSource;
import io.cloudconnector.scalez.restore.RecoveryPointReader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A recovery point's block device read through at most {@code readers} engine readers, opened as concurrent reads
 * need them and kept for the next read. The engine's reader serialises its callers and caches a few chunks; a small
 * pool lets requests (and the read-ahead of a download) fetch chunks in parallel while bounding the memory the
 * point holds: {@code readers} times a reader's chunk cache.
 */
final class PooledSource implements ByteSource {

    private final Supplier<RecoveryPointReader> opener;
    private final ConcurrentLinkedQueue<RecoveryPointReader> idle = new ConcurrentLinkedQueue<>();
    private final Semaphore permits;
    private final long size;
    private final LongAdder bytesRead = new LongAdder();

    PooledSource(Supplier<RecoveryPointReader> opener, int readers) {
        this.opener = opener;
        this.permits = new Semaphore(readers);
        var first = opener.get();
        this.size = first.size();
        idle.add(first);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) {
        permits.acquireUninterruptibly();
        try {
            var reader = idle.poll();
            if (reader == null) {
                reader = opener.get();
            }
            try {
                int n = reader.read(position, buffer, offset, length);
                bytesRead.add(Math.max(0, n));
                return n;
            } finally {
                idle.add(reader);
            }
        } finally {
            permits.release();
        }
    }

    /** How many bytes callers have read through it (what requests asked of the point, not what the engine fetched). */
    long bytesRead() {
        return bytesRead.sum();
    }

    /** Drops the idle readers (and their cached chunks); a read after this opens a new one. */
    void close() {
        idle.clear();
    }
}
