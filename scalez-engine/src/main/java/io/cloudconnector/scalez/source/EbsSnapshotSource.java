package io.cloudconnector.scalez.source;

import io.cloudconnector.scalez.ScalezException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.ebs.model.GetSnapshotBlockResponse;

/**
 * An EBS snapshot read through the EBS direct APIs: the written blocks are listed up front
 * ({@code ListSnapshotBlocks}, or {@code ListChangedBlocks} against an earlier snapshot of the same volume, every
 * page), then read with {@code GetSnapshotBlock}, each block's SHA-256 checked, several at once ahead of the
 * engine's reads. A block EBS does not list reads as zeros without a request; a changed-block source can read
 * only the changed blocks (the others are in the base snapshot) and is meant for an incremental backup that
 * takes them from the parent recovery point.
 *
 * <p>The size comes from the snapshot's {@code VolumeSize}; the {@code BlockSize} EBS reports is not used: block
 * indexes are in 512 KiB units by definition, and each block read must be exactly 512 KiB long.
 */
public final class EbsSnapshotSource implements BlockSource {

    private static final long GIB = 1L << 30;
    private static final int PAGE = 10_000;

    private final EbsClient ebs;
    private final String snapshotId;
    private final long size;
    private final long[] indexes;
    private final String[] tokens;
    private final @Nullable BitSet changed;
    private final EbsTransferOptions options;
    private final ExecutorService pool;
    private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> ahead = new ConcurrentHashMap<>();
    // Block arrays the engine has copied out of, for the next reads: as many as can be ahead at once.
    private final ArrayBlockingQueue<byte[]> spare;
    private int scheduled;

    private EbsSnapshotSource(
            EbsClient ebs,
            String snapshotId,
            long size,
            List<Listed> listed,
            @Nullable BitSet changed,
            EbsTransferOptions options) {
        this.ebs = ebs;
        this.snapshotId = snapshotId;
        this.size = size;
        this.changed = changed;
        this.options = options;
        var sorted = listed.stream()
                .sorted(java.util.Comparator.comparingLong(Listed::index))
                .toList();
        this.indexes = sorted.stream().mapToLong(Listed::index).toArray();
        this.tokens = sorted.stream().map(Listed::token).toArray(String[]::new);
        for (long index : indexes) {
            if (index < 0 || index >= blockCount()) {
                throw new ScalezException(
                        "Snapshot " + snapshotId + " lists block " + index + " beyond its size of " + size + " bytes");
            }
        }
        this.spare = new ArrayBlockingQueue<>(2 * options.concurrency() + 1);
        var counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.concurrency(), r -> {
            var t = new Thread(r, "ebs-read-" + snapshotId + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private record Listed(long index, String token) {}

    /** Every written block of {@code snapshotId} (a full read). */
    public static EbsSnapshotSource of(EbsClient ebs, String snapshotId, EbsTransferOptions options) {
        List<Listed> listed = new ArrayList<>();
        long volumeGiB = -1;
        String next = null;
        do {
            String token = next;
            var page = EbsCalls.call(
                    "list the blocks of " + snapshotId,
                    options,
                    () -> ebs.listSnapshotBlocks(
                            b -> b.snapshotId(snapshotId).maxResults(PAGE).nextToken(token)));
            page.blocks().forEach(block -> listed.add(new Listed(block.blockIndex(), block.blockToken())));
            volumeGiB = page.volumeSize() == null ? volumeGiB : page.volumeSize();
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return new EbsSnapshotSource(ebs, snapshotId, volumeSize(snapshotId, volumeGiB), listed, null, options);
    }

    /**
     * The blocks of {@code snapshotId} that differ from {@code baseSnapshotId}, an earlier snapshot of the same
     * volume: new and changed blocks are read from {@code snapshotId}; a block that no longer holds data there
     * reads as zeros. {@link #changedBlocks()} names them all.
     */
    public static EbsSnapshotSource changedSince(
            EbsClient ebs, String baseSnapshotId, String snapshotId, EbsTransferOptions options) {
        List<Listed> listed = new ArrayList<>();
        var changed = new BitSet();
        long volumeGiB = -1;
        String next = null;
        do {
            String token = next;
            var page = EbsCalls.call(
                    "list the blocks of " + snapshotId + " changed since " + baseSnapshotId,
                    options,
                    () -> ebs.listChangedBlocks(b -> b.firstSnapshotId(baseSnapshotId)
                            .secondSnapshotId(snapshotId)
                            .maxResults(PAGE)
                            .nextToken(token)));
            for (var block : page.changedBlocks()) {
                changed.set(block.blockIndex());
                if (block.secondBlockToken() != null) {
                    listed.add(new Listed(block.blockIndex(), block.secondBlockToken()));
                }
            }
            volumeGiB = page.volumeSize() == null ? volumeGiB : page.volumeSize();
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return new EbsSnapshotSource(ebs, snapshotId, volumeSize(snapshotId, volumeGiB), listed, changed, options);
    }

    private static long volumeSize(String snapshotId, long volumeGiB) {
        if (volumeGiB <= 0) {
            throw new ScalezException("EBS did not report the volume size of snapshot " + snapshotId);
        }
        return volumeGiB * GIB;
    }

    /** The snapshot read. */
    public String snapshotId() {
        return snapshotId;
    }

    /** How many blocks hold data to read (the others read as zeros). */
    public int blocksToRead() {
        return indexes.length;
    }

    /** The indexes of the changed blocks, for a source made by {@link #changedSince}. */
    public Optional<BitSet> changedBlocks() {
        return Optional.ofNullable(changed).map(c -> (BitSet) c.clone());
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * For a full read, the listed blocks: every other block of a snapshot reads as zeros. A changed-block source
     * knows only the blocks that changed, so it reports nothing.
     */
    @Override
    public Optional<BitSet> allocatedBlocks() {
        if (changed != null) {
            return Optional.empty();
        }
        var allocated = new BitSet();
        for (long index : indexes) {
            allocated.set((int) index);
        }
        return Optional.of(allocated);
    }

    @Override
    public void readBlock(long index, byte[] buffer) {
        int length = blockLength(index);
        int position = Arrays.binarySearch(indexes, index);
        if (position < 0) {
            if (changed != null && !changed.get((int) index)) {
                // Its data is in the base snapshot, which this source does not read: zeros would be a lie.
                throw new ScalezException("Block " + index + " of " + snapshotId + " did not change; only changed "
                        + "blocks can be read from a changed-block source");
            }
            Arrays.fill(buffer, 0, length, (byte) 0);
            return;
        }
        readAhead(position);
        var pending = ahead.remove(index);
        byte[] data;
        try {
            data = pending != null ? pending.join() : fetch(position);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new ScalezException(String.valueOf(e.getCause()), e);
        }
        System.arraycopy(data, 0, buffer, 0, length);
        spare.offer(data);
    }

    /**
     * Starts the reads of the listed blocks up to twice the concurrency ahead of {@code position}: the engine
     * asks for blocks in ascending order, so they are (mostly) there when it does, and at most that many
     * 512 KiB buffers wait.
     */
    private synchronized void readAhead(int position) {
        int limit = Math.min(indexes.length, position + 1 + 2 * options.concurrency());
        // Never behind the block asked for: a block the engine skipped must not hold a buffer until close.
        scheduled = Math.max(scheduled, position);
        while (scheduled < limit) {
            int p = scheduled++;
            if (ahead.containsKey(indexes[p])) {
                continue;
            }
            ahead.put(indexes[p], CompletableFuture.supplyAsync(() -> fetch(p), pool));
        }
    }

    private byte[] fetch(int position) {
        long index = indexes[position];
        String what = "read block " + index + " of " + snapshotId;
        return EbsCalls.call(what, options, () -> {
            var fetched = ebs.getSnapshotBlock(
                    b -> b.snapshotId(snapshotId).blockIndex((int) index).blockToken(tokens[position]),
                    (response, in) -> Fetched.read(response, in, spare.poll()));
            byte[] data = fetched.data();
            var meta = fetched.response();
            int expected = BLOCK_SIZE;
            if (meta.dataLength() != null && meta.dataLength() != expected || fetched.length() != expected) {
                throw new EbsCalls.ChecksumMismatchException("Block " + index + " of " + snapshotId + " came with "
                        + (fetched.length() > expected ? "more than " + expected : fetched.length())
                        + " bytes (DataLength " + meta.dataLength() + "), expected " + expected);
            }
            if (meta.checksumAlgorithm() != ChecksumAlgorithm.SHA256 || meta.checksum() == null) {
                throw new ScalezException("Block " + index + " of " + snapshotId + " came without a SHA-256 checksum ("
                        + meta.checksumAlgorithmAsString() + ")");
            }
            String actual = EbsCalls.sha256Base64(data, data.length);
            if (!actual.equals(meta.checksum())) {
                throw new EbsCalls.ChecksumMismatchException(
                        "Block " + index + " of " + snapshotId + " does not match its checksum: EBS sent "
                                + meta.checksum() + ", the data hashes to " + actual);
            }
            return data;
        });
    }

    /**
     * A block as it came: read straight into one 512 KiB array, a spare one when there is one (the SDK's
     * {@code toBytes()} grows a new buffer by doubling and copies it out: three times the allocation and two more
     * copies per block); {@code length} is how many bytes came, {@code BLOCK_SIZE + 1} when there were more.
     */
    private record Fetched(GetSnapshotBlockResponse response, byte[] data, int length) {

        static Fetched read(GetSnapshotBlockResponse response, InputStream in, byte @Nullable [] spare)
                throws IOException {
            var data = spare != null ? spare : new byte[BLOCK_SIZE];
            int length = in.readNBytes(data, 0, BLOCK_SIZE);
            if (length == BLOCK_SIZE && in.read() >= 0) {
                length++;
            }
            return new Fetched(response, data, length);
        }
    }

    @Override
    public String description() {
        return "ebs:" + snapshotId;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        ahead.values().forEach(f -> f.cancel(true));
        ahead.clear();
    }
}
