package io.cloudconnector.scalez.index;

import io.cloudconnector.scalez.ScalezException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Index entries spilled to a local file, sorted by chunk id, with a Bloom filter and a fence of every block's first
 * id in memory. A miss usually costs only the filter (no disk access); a hit costs one positional read of one block.
 * Lookups use positional reads rather than a memory mapping, so that what they touch stays in the page cache instead of
 * counting towards the process's resident set.
 *
 * <p>The file is a cache of the repository's index files, not part of the repository: it is unlinked as soon as it is
 * opened, so nothing is left behind whatever happens to the process, and its space is freed when it is closed or
 * collected.
 *
 * <p>A record is {@value #RECORD} bytes, big-endian: id (32), pack number (4), offset (4), length (4), raw length
 * (4), type and codec (1).
 */
final class SortedRecords implements AutoCloseable {

    static final int RECORD = 32 + 4 + 4 + 4 + 4 + 1;

    /** Records a lookup reads at once: one block. */
    static final int BLOCK = 128;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int HASHES = 7;
    private static final int BITS_PER_ENTRY = 10;
    private static final int IO_BUFFER = RECORD * 4 * 1024;

    private final FileChannel channel;
    private final long count;
    private final long[] fence;
    private final long[] bloom;
    private final long bloomBits;

    private SortedRecords(FileChannel channel, long count, long[] fence, long[] bloom, long bloomBits) {
        this.channel = channel;
        this.count = count;
        this.fence = fence;
        this.bloom = bloom;
        this.bloomBits = bloomBits;
    }

    long count() {
        return count;
    }

    /** Bytes of memory the filter and fence take. */
    long memoryBytes() {
        return 8L * (fence.length + bloom.length);
    }

    /** A temporary file that is already unlinked: its space lives as long as the returned channel. */
    static FileChannel anonymousFile(Path directory) {
        try {
            Files.createDirectories(directory);
            var path = Files.createTempFile(directory, "scalez-index-", ".spill");
            var channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(path);
            } catch (IOException e) {
                path.toFile().deleteOnExit();
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create an index spill file in " + directory, e);
        }
    }

    // --- lookups -----------------------------------------------------------------------------------------------------

    /** Whether the filter lets {@code id} through: {@code false} means it is certainly absent. */
    boolean mightContain(long a, long b, long c, long d) {
        long h1 = mix(a ^ c);
        long h2 = mix(b ^ d) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bloomBits);
            if ((bloom[(int) (bit >>> 6)] & 1L << bit) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The record of the id, or {@code null}. */
    byte @Nullable [] find(long a, long b, long c, long d) {
        if (count == 0 || !mightContain(a, b, c, d)) {
            return null;
        }
        // The last block whose first id is not above the id.
        int lo = 0;
        int hi = fence.length / 4 - 1;
        if (compare(fence, 0, a, b, c, d) > 0) {
            return null;
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (compare(fence, 4 * mid, a, b, c, d) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long first = (long) lo * BLOCK;
        int n = (int) Math.min(BLOCK, count - first);
        var block = read(first, n);
        int l = 0;
        int h = n - 1;
        while (l <= h) {
            int mid = (l + h) >>> 1;
            int r = compareRecord(block, mid * RECORD, a, b, c, d);
            if (r == 0) {
                var record = new byte[RECORD];
                System.arraycopy(block, mid * RECORD, record, 0, RECORD);
                return record;
            } else if (r < 0) {
                l = mid + 1;
            } else {
                h = mid - 1;
            }
        }
        return null;
    }

    private byte[] read(long first, int n) {
        var bytes = new byte[n * RECORD];
        var buffer = ByteBuffer.wrap(bytes);
        long position = first * RECORD;
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new ScalezException("Index spill file ended early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the index spill file", e);
        }
        return bytes;
    }

    static long id(byte[] record, int offset, int part) {
        return (long) LONG.get(record, offset + 8 * part);
    }

    static int field(byte[] record, int offset) {
        return (int) INT.get(record, offset);
    }

    static void putLong(byte[] record, int offset, long value) {
        LONG.set(record, offset, value);
    }

    static void putInt(byte[] record, int offset, int value) {
        INT.set(record, offset, value);
    }

    private static int compareRecord(byte[] records, int offset, long a, long b, long c, long d) {
        int r = Long.compareUnsigned(id(records, offset, 0), a);
        if (r == 0) {
            r = Long.compareUnsigned(id(records, offset, 1), b);
        }
        if (r == 0) {
            r = Long.compareUnsigned(id(records, offset, 2), c);
        }
        return r != 0 ? r : Long.compareUnsigned(id(records, offset, 3), d);
    }

    private static int compare(long[] ids, int i, long a, long b, long c, long d) {
        int r = Long.compareUnsigned(ids[i], a);
        if (r == 0) {
            r = Long.compareUnsigned(ids[i + 1], b);
        }
        if (r == 0) {
            r = Long.compareUnsigned(ids[i + 2], c);
        }
        return r != 0 ? r : Long.compareUnsigned(ids[i + 3], d);
    }

    // murmur3's fmix64: ids are hashes already, but tests (and a hostile index) may not spread their bits.
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    // --- building ----------------------------------------------------------------------------------------------------

    /** A sorted run of {@code count} records at {@code start} (bytes) of {@code channel}. */
    record Run(FileChannel channel, long start, long count) {}

    /**
     * Merges sorted runs into a new file in {@code directory}. Runs come oldest first; when several hold an id, the
     * oldest one's record is kept.
     */
    static SortedRecords merge(Path directory, List<Run> runs) {
        long bound = 0;
        for (var run : runs) {
            bound += run.count();
        }
        long bits = Math.max(64, bound * BITS_PER_ENTRY);
        var bloom = new long[Math.toIntExact((bits + 63) / 64)];
        var fence = new long[Math.toIntExact(4 * ((bound + BLOCK - 1) / BLOCK))];
        var out = anonymousFile(directory);
        var queue = new PriorityQueue<Source>();
        for (int i = 0; i < runs.size(); i++) {
            var source = new Source(runs.get(i), i);
            if (source.next()) {
                queue.add(source);
            }
        }
        var buffer = ByteBuffer.allocate(IO_BUFFER);
        long count = 0;
        long written = 0;
        var records = new SortedRecords(out, 0, fence, bloom, bits);
        try {
            while (!queue.isEmpty()) {
                var source = java.util.Objects.requireNonNull(queue.poll());
                long a = source.a;
                long b = source.b;
                long c = source.c;
                long d = source.d;
                if (count % BLOCK == 0) {
                    int f = (int) (4 * (count / BLOCK));
                    fence[f] = a;
                    fence[f + 1] = b;
                    fence[f + 2] = c;
                    fence[f + 3] = d;
                }
                records.setBits(a, b, c, d);
                if (!buffer.hasRemaining()) {
                    written += flush(out, buffer, written);
                }
                buffer.put(source.record);
                count++;
                // Later copies of the same id lose to this one (the oldest).
                if (source.next()) {
                    queue.add(source);
                }
                for (var top = queue.peek(); top != null && top.is(a, b, c, d); top = queue.peek()) {
                    queue.poll();
                    if (top.next()) {
                        queue.add(top);
                    }
                }
            }
            flush(out, buffer, written);
        } catch (RuntimeException e) {
            closeQuietly(out);
            throw e;
        }
        long blocks = (count + BLOCK - 1) / BLOCK;
        var trimmed = fence.length == 4 * blocks ? fence : java.util.Arrays.copyOf(fence, (int) (4 * blocks));
        return new SortedRecords(out, count, trimmed, bloom, bits);
    }

    private void setBits(long a, long b, long c, long d) {
        long h1 = mix(a ^ c);
        long h2 = mix(b ^ d) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bloomBits);
            bloom[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    private static int flush(FileChannel out, ByteBuffer buffer, long position) {
        buffer.flip();
        int n = buffer.remaining();
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer, position + (n - buffer.remaining()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the index spill file", e);
        }
        buffer.clear();
        return n;
    }

    /** This file's records as a run, to merge into a newer file. */
    Run asRun() {
        return new Run(channel, 0, count);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Already unlinked: nothing to clean up.
        }
    }

    /** Reads one run, record by record, through a buffer. */
    private static final class Source implements Comparable<Source> {
        final Run run;
        final int age;
        final byte[] record = new byte[RECORD];
        final ByteBuffer buffer;
        long consumed;
        long a;
        long b;
        long c;
        long d;

        Source(Run run, int age) {
            this.run = run;
            this.age = age;
            this.buffer = ByteBuffer.allocate((int) Math.min(IO_BUFFER, Math.max(RECORD, run.count() * RECORD)));
            buffer.limit(0);
        }

        boolean next() {
            if (consumed == run.count()) {
                return false;
            }
            if (!buffer.hasRemaining()) {
                fill();
            }
            buffer.get(record);
            consumed++;
            a = id(record, 0, 0);
            b = id(record, 0, 1);
            c = id(record, 0, 2);
            d = id(record, 0, 3);
            return true;
        }

        private void fill() {
            buffer.clear();
            long left = (run.count() - consumed) * RECORD;
            if (left < buffer.capacity()) {
                buffer.limit((int) left);
            }
            long position = run.start() + consumed * RECORD;
            try {
                while (buffer.hasRemaining()) {
                    if (run.channel().read(buffer, position + buffer.position()) < 0) {
                        throw new ScalezException("Index spill run ended early");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read an index spill run", e);
            }
            buffer.flip();
        }

        boolean is(long a, long b, long c, long d) {
            return this.a == a && this.b == b && this.c == c && this.d == d;
        }

        @Override
        public int compareTo(Source o) {
            int r = Long.compareUnsigned(a, o.a);
            if (r == 0) {
                r = Long.compareUnsigned(b, o.b);
            }
            if (r == 0) {
                r = Long.compareUnsigned(c, o.c);
            }
            if (r == 0) {
                r = Long.compareUnsigned(d, o.d);
            }
            return r != 0 ? r : Integer.compare(age, o.age);
        }
    }
}
