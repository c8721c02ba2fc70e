package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.compress.Compressor;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.ChunkIndex;
import io.cloudconnector.scalez.index.IndexFile;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.Pack;
import io.cloudconnector.scalez.pack.PackBuilder;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.pack.PackHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write side of a repository: dedups chunks against the index and against chunks in flight, compresses,
 * seals, fills packs and uploads them concurrently (at most {@code uploadSlots} packs in memory waiting), and
 * writes index files for the packs it uploaded. {@link #save} and {@link #saveSealed} are called from many
 * threads. A backup flushes once at its end; a ScaleZ server ({@code serve.SharedWriter}) flushes whenever one of
 * its sessions commits, each flush indexing only what earlier flushes did not.
 *
 * <p>Once an upload fails the saver is broken: every later call throws, so that no caller is ever told that
 * a chunk of the lost pack is stored.
 */
public final class ChunkSaver implements BlobSaver {

    /**
     * Packs an index file lists at most (about 40,000 chunks, 1.7 MB): a reader decrypts a file whole, so a backup
     * of a whole large volume writes several files rather than one that its next backup could not hold in memory.
     */
    public static final int MAX_PACKS_PER_INDEX_FILE = 2_500;

    private final RepositoryContext ctx;
    private final ChunkIndex index;
    private final Executor uploader;
    private final Semaphore uploadSlots;
    private final ConcurrentHashMap<ObjectId, Boolean> pending = new ConcurrentHashMap<>();
    private final List<PackContents> unindexed = new ArrayList<>();
    // Orphan packs adopted at the start, indexed by the first flush if still stored; guarded by unindexed.
    private final List<PackContents> adopted = new ArrayList<>();
    private final AtomicLong bytesAdded = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ReentrantLock flushLock = new ReentrantLock();
    // Sequence numbers of packs finished but not yet uploaded; guarded by this.
    private final TreeSet<Long> uploading = new TreeSet<>();
    private long packsFinished;
    private PackBuilder builder;

    public ChunkSaver(
            RepositoryContext ctx, ChunkIndex index, Executor uploader, int uploadSlots, List<PackContents> adopted) {
        this.ctx = ctx;
        this.index = index;
        this.uploader = uploader;
        this.uploadSlots = new Semaphore(uploadSlots);
        this.adopted.addAll(adopted);
        this.builder = newBuilder();
    }

    private PackBuilder newBuilder() {
        return new PackBuilder(ctx.config().settings().packSize() + 1024 * 1024);
    }

    /** A full pack's blobs, sealed and named (its header, trailer and SHA-256) by {@link #upload}. */
    private record Finished(long sequence, PackBuilder builder) {}

    /** A worker thread's buffers for one blob's compressed and sealed bytes, grown for larger blobs. */
    private static final class Scratch {
        byte[] compressed = new byte[0];
        byte[] sealed = new byte[0];

        Scratch fit(int length) {
            int bound = Compressor.bound(length);
            if (compressed.length < bound) {
                compressed = new byte[bound];
                sealed = new byte[Math.max(bound, length) + Aead.OVERHEAD];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public ObjectId save(BlobType type, byte[] data, int length) {
        rethrowFailure();
        if (type == BlobType.DATA && ZeroBlocks.isZero(data, length)) {
            return ObjectId.ZERO;
        }
        var id = ctx.hasher().hash(data, 0, length);
        if (!claim(id)) {
            return id;
        }
        // Compressed and sealed in this thread's scratch buffers, then copied once into the pack: no per-blob arrays.
        var scratch = SCRATCH.get().fit(length);
        int packed = ctx.compressor().compressInto(data, length, scratch.compressed);
        var codec = packed < 0 ? Codec.NONE : Codec.ZSTD;
        int sealedLength = ctx.blobAead(id)
                .seal(
                        packed < 0 ? data : scratch.compressed,
                        0,
                        packed < 0 ? length : packed,
                        PackEntry.aad(id, type, codec, length),
                        scratch.sealed,
                        0);
        bytesAdded.addAndGet(sealedLength);
        Finished full;
        synchronized (this) {
            builder.add(id, type, codec, length, scratch.sealed, 0, sealedLength);
            full = builder.size() >= ctx.config().settings().packSize() ? finishLocked() : null;
        }
        if (full != null) {
            upload(full);
        }
        return id;
    }

    /**
     * Stores a blob sealed elsewhere (by a backup talking to a ScaleZ server) unless it is stored or held
     * already; {@code false} for such a duplicate. The claim and the append happen under one lock, so whoever
     * then finds the id pending finds it in a pack that the next {@link #flush} uploads and indexes.
     */
    public boolean saveSealed(ObjectId id, BlobType type, Codec codec, int rawLength, byte[] sealed) {
        rethrowFailure();
        Finished full;
        synchronized (this) {
            if (!claim(id)) {
                return false;
            }
            full = appendLocked(id, type, codec, rawLength, sealed);
        }
        bytesAdded.addAndGet(sealed.length);
        if (full != null) {
            upload(full);
        }
        return true;
    }

    /**
     * Claims {@code id} for this caller to store; {@code false} if it is indexed or claimed already. An upload indexes
     * its pack's ids, then drops their claims: a caller that found the id not yet indexed and claimed it after the
     * upload dropped the old claim looks at the index again, so that no chunk is stored twice.
     */
    private boolean claim(ObjectId id) {
        if (index.contains(id) || pending.putIfAbsent(id, Boolean.TRUE) != null) {
            return false;
        }
        if (index.contains(id)) {
            pending.remove(id);
            return false;
        }
        return true;
    }

    /** Whether {@code id} is stored or on its way into a pack. */
    public boolean holds(ObjectId id) {
        return index.contains(id) || pending.containsKey(id);
    }

    private @org.jspecify.annotations.Nullable Finished appendLocked(
            ObjectId id, BlobType type, Codec codec, int rawLength, byte[] sealed) {
        builder.add(id, type, codec, rawLength, sealed);
        return builder.size() >= ctx.config().settings().packSize() ? finishLocked() : null;
    }

    // Only the swap happens under the lock: finishing a 16 MiB pack (a copy and its SHA-256, ~15 ms) in here held
    // every other worker up at each pack (performance.md).
    private Finished finishLocked() {
        var full = builder;
        builder = newBuilder();
        long sequence = ++packsFinished;
        uploading.add(sequence);
        return new Finished(sequence, full);
    }

    private void upload(Finished finished) {
        Pack pack;
        try {
            pack = finished.builder().finish(header -> ctx.aead().seal(header, PackHeader.AAD));
        } catch (RuntimeException e) {
            uploaded(finished, e);
            throw e;
        }
        try {
            uploadSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            uploaded(finished, new ScalezException("Interrupted while waiting to upload pack " + pack.key()));
            throw new ScalezException("Interrupted while waiting to upload pack " + pack.key());
        }
        try {
            uploader.execute(() -> {
                Throwable failed = null;
                try {
                    ctx.store().putIfAbsent(pack.key(), pack.bytes());
                    index.addPack(pack.id(), pack.entries());
                    synchronized (unindexed) {
                        unindexed.add(new PackContents(pack.id(), pack.entries()));
                    }
                    // Only after the index has them, so that no chunk is ever in neither.
                    pack.entries().forEach(e -> pending.remove(e.id()));
                } catch (Throwable t) {
                    failed = t;
                } finally {
                    uploadSlots.release();
                    uploaded(finished, failed);
                }
            });
        } catch (RejectedExecutionException e) {
            uploadSlots.release();
            uploaded(finished, e);
            throw new ScalezException("Cannot upload pack " + pack.key() + ": the writer is closed", e);
        }
    }

    private void uploaded(Finished finished, @org.jspecify.annotations.Nullable Throwable failed) {
        if (failed != null) {
            failure.compareAndSet(null, failed);
        }
        synchronized (this) {
            uploading.remove(finished.sequence());
            notifyAll();
        }
    }

    private void rethrowFailure() {
        var t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t != null) {
            throw new ScalezException("Upload failed: " + t, t);
        }
    }

    /**
     * Uploads the partial pack, waits for every pack finished so far (not for packs other threads finish
     * meanwhile), and writes an index file for the uploaded packs and adopted orphans that no earlier flush
     * indexed (in files of at most {@link #MAX_PACKS_PER_INDEX_FILE} packs). Returns the last index file's key, if one
     * was written. Flushes run one at a time, so when one
     * returns, every pack it waited for is in an index file that exists.
     */
    public Optional<String> flush() {
        flushLock.lock();
        try {
            Finished last = null;
            long target;
            synchronized (this) {
                if (!builder.isEmpty()) {
                    last = finishLocked();
                }
                target = packsFinished;
            }
            if (last != null) {
                upload(last);
            }
            synchronized (this) {
                while (!uploading.isEmpty() && uploading.first() <= target) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ScalezException("Interrupted while waiting for pack uploads");
                    }
                }
            }
            rethrowFailure();
            List<PackContents> uploaded;
            List<PackContents> orphans;
            synchronized (unindexed) {
                uploaded = List.copyOf(unindexed);
                unindexed.clear();
                orphans = List.copyOf(adopted);
                adopted.clear();
            }
            try {
                // An adopted pack may be gone since (a prune ran between a ScaleZ server's load and this flush):
                // an index file must never list a pack that is not stored.
                var packs = new ArrayList<PackContents>(uploaded);
                for (var orphan : orphans) {
                    if (ctx.store().stat(Pack.key(orphan.packId())).isPresent()) {
                        packs.add(orphan);
                    }
                }
                var keys = writeIndexes(ctx, packs);
                return keys.isEmpty() ? Optional.empty() : Optional.of(keys.getLast());
            } catch (RuntimeException e) {
                synchronized (unindexed) {
                    unindexed.addAll(0, uploaded);
                    adopted.addAll(0, orphans);
                }
                throw e;
            }
        } finally {
            flushLock.unlock();
        }
    }

    @Override
    public void finishData() {
        flush();
    }

    @Override
    public void putManifest(String recoveryPointId, byte[] sealedManifest) {
        var key = Manifest.key(recoveryPointId);
        // The same bytes are there when a ScaleZ server stored them but its answer was lost.
        if (!ctx.store().putIfAbsent(key, sealedManifest)
                && !java.util.Arrays.equals(ctx.store().get(key), sealedManifest)) {
            throw new ScalezException("Recovery point " + recoveryPointId + " already exists");
        }
    }

    /** Index files listing {@code packs}, {@link #MAX_PACKS_PER_INDEX_FILE} to a file; returns their keys. */
    public static List<String> writeIndexes(RepositoryContext ctx, List<PackContents> packs) {
        var keys = new ArrayList<String>();
        for (int i = 0; i < packs.size(); i += MAX_PACKS_PER_INDEX_FILE) {
            keys.add(writeIndex(ctx, packs.subList(i, Math.min(packs.size(), i + MAX_PACKS_PER_INDEX_FILE))));
        }
        return keys;
    }

    /** Seals and stores an index file listing {@code packs}; returns its key. */
    public static String writeIndex(RepositoryContext ctx, List<PackContents> packs) {
        var stored = ctx.sealObject(new IndexFile(packs).encode(), IndexFile.AAD);
        var key = IndexFile.key(ObjectId.sha256(stored));
        ctx.store().putIfAbsent(key, stored);
        return key;
    }

    @Override
    public long bytesAdded() {
        return bytesAdded.get();
    }
}
