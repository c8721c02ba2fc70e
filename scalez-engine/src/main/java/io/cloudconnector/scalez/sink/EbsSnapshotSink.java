package io.cloudconnector.scalez.sink;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.source.EbsCalls;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.ChecksumAggregationMethod;
import software.amazon.awssdk.services.ebs.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.ebs.model.Status;
import software.amazon.awssdk.services.ebs.model.Tag;

/**
 * Restores into a new EBS snapshot through the EBS direct APIs: {@code StartSnapshot} when the size is known,
 * {@code PutSnapshotBlock} for every non-zero block (several at once, each with its SHA-256), and
 * {@code CompleteSnapshot} with the block count and the linear aggregate checksum (the SHA-256 of the blocks'
 * SHA-256s in block order). A new snapshot without a parent reads zeros wherever nothing was written, so zero
 * blocks cost nothing. The snapshot is ready for EC2 once its state is {@code completed}.
 */
public final class EbsSnapshotSink implements BlockSink {

    private static final int BLOCK_SIZE = 512 * 1024;
    private static final long GIB = 1L << 30;

    private final EbsClient ebs;
    private final NewSnapshot spec;
    private final EbsTransferOptions options;
    private final ExecutorService pool;
    private final Semaphore slots;
    private final int slotCount;
    private final ConcurrentSkipListMap<Long, byte[]> checksums = new ConcurrentSkipListMap<>();
    // Block copies whose write is over, for the next blocks: as many as can be queued or in flight.
    private final ArrayBlockingQueue<byte[]> spare;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile @Nullable String snapshotId;
    private volatile boolean completed;

    /**
     * What the new snapshot is.
     *
     * @param clientToken makes {@code StartSnapshot} idempotent: a retried start returns the same snapshot
     * @param kmsKeyArn encrypt with this key (implies encrypted); null for the account's default, if
     *     {@code encrypted}
     * @param timeoutMinutes after this long without completion EBS gives the snapshot up (a killed restore
     *     leaves nothing pending for long)
     */
    public record NewSnapshot(
            String description,
            Map<String, String> tags,
            boolean encrypted,
            @Nullable String kmsKeyArn,
            String clientToken,
            int timeoutMinutes) {

        public NewSnapshot {
            tags = Map.copyOf(tags);
        }
    }

    private EbsSnapshotSink(EbsClient ebs, NewSnapshot spec, EbsTransferOptions options) {
        this.ebs = ebs;
        this.spec = spec;
        this.options = options;
        var counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.concurrency(), r -> {
            var t = new Thread(r, "ebs-write-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Blocks queued or in flight at once: each holds a 512 KiB copy.
        this.slotCount = 2 * options.concurrency();
        this.slots = new Semaphore(slotCount);
        this.spare = new ArrayBlockingQueue<>(slotCount);
    }

    /** A sink that creates its snapshot when {@link #start} tells it the size. */
    public static EbsSnapshotSink create(EbsClient ebs, NewSnapshot spec, EbsTransferOptions options) {
        return new EbsSnapshotSink(ebs, spec, options);
    }

    /** The new snapshot, once started. */
    public @Nullable String snapshotId() {
        return snapshotId;
    }

    /** How many blocks were written. */
    public int blocksWritten() {
        return checksums.size();
    }

    /** Starts the snapshot, sized in whole GiB (EBS volumes are). */
    @Override
    public void start(long size) {
        long volumeGiB = Math.max(1, (size + GIB - 1) / GIB);
        var tags = spec.tags().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
        var started = EbsCalls.call(
                "start a snapshot for " + spec.description(),
                options,
                () -> ebs.startSnapshot(b -> {
                    b.volumeSize(volumeGiB)
                            .description(spec.description())
                            .tags(tags)
                            .clientToken(spec.clientToken())
                            .timeout(spec.timeoutMinutes());
                    if (spec.encrypted() || spec.kmsKeyArn() != null) {
                        b.encrypted(true).kmsKeyArn(spec.kmsKeyArn());
                    }
                }));
        snapshotId = started.snapshotId();
    }

    @Override
    public void writeBlock(long index, byte[] data, int length) {
        throwIfFailed();
        String id = started();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScalezException("Interrupted while writing block " + index + " of " + id, e);
        }
        // The engine reuses data once this returns: the sink writes its own copy. A short last block is padded
        // with zeros (a spare copy holds an earlier block): EBS takes whole 512 KiB blocks only.
        var spareBlock = spare.poll();
        var block = spareBlock != null ? spareBlock : new byte[BLOCK_SIZE];
        System.arraycopy(data, 0, block, 0, length);
        if (length < BLOCK_SIZE) {
            Arrays.fill(block, length, BLOCK_SIZE, (byte) 0);
        }
        try {
            pool.execute(() -> {
                try {
                    if (failure.get() == null) {
                        put(id, index, block);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    spare.offer(block);
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw new ScalezException("Cannot write block " + index + " of " + id + ": the sink is closed", e);
        }
    }

    private void put(String id, long index, byte[] block) {
        byte[] sha = EbsCalls.sha256(block, block.length);
        String checksum = Base64.getEncoder().encodeToString(sha);
        EbsCalls.call(
                "write block " + index + " of " + id,
                options,
                () -> ebs.putSnapshotBlock(
                        b -> b.snapshotId(id)
                                .blockIndex((int) index)
                                .dataLength(BLOCK_SIZE)
                                .checksum(checksum)
                                .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                        // The block is this sink's own copy and never changes: no defensive copy (fromBytes makes
                        // one per attempt), and a retry reads it again from the start.
                        RequestBody.fromContentProvider(
                                ContentStreamProvider.fromByteArrayUnsafe(block),
                                BLOCK_SIZE,
                                "application/octet-stream")));
        checksums.put(index, sha);
    }

    /** A new snapshot already reads zeros there. */
    @Override
    public void zeroBlock(long index, int length) {
        throwIfFailed();
    }

    /** Waits for every block, then completes the snapshot with the block count and the aggregate checksum. */
    @Override
    public void finish() {
        String id = started();
        try {
            slots.acquire(slotCount);
            slots.release(slotCount);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScalezException("Interrupted while finishing snapshot " + id, e);
        }
        throwIfFailed();
        int count = checksums.size();
        var linear = new java.io.ByteArrayOutputStream(count * 32);
        checksums.values().forEach(linear::writeBytes);
        byte[] all = linear.toByteArray();
        String aggregate = EbsCalls.sha256Base64(all, all.length);
        var response = EbsCalls.call(
                "complete snapshot " + id,
                options,
                () -> ebs.completeSnapshot(b -> b.snapshotId(id)
                        .changedBlocksCount(count)
                        .checksum(aggregate)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .checksumAggregationMethod(ChecksumAggregationMethod.LINEAR)));
        if (response.status() == Status.ERROR) {
            throw new ScalezException("EBS refused to complete snapshot " + id + " (" + count + " blocks)");
        }
        completed = true;
    }

    /** Whether {@link #finish} completed the snapshot. */
    public boolean isCompleted() {
        return completed;
    }

    private String started() {
        var id = snapshotId;
        if (id == null) {
            throw new ScalezException("The snapshot for " + spec.description() + " was not started");
        }
        return id;
    }

    private void throwIfFailed() {
        var e = failure.get();
        if (e != null) {
            throw e instanceof ScalezException s ? s : new ScalezException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
