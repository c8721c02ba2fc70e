package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The write side of a backup: dedups chunks against the index and against chunks in flight, compresses,
 * seals, fills packs and uploads them concurrently (at most {@code uploadSlots} packs in memory waiting),
 * and finally writes one index file for the new packs. {@link #save} is called from many worker threads.
 */
final class ChunkSaver {

    private final RepositoryContext ctx;
    private final ChunkIndex index;
    private final ExecutorService uploader;
    private final Semaphore uploadSlots;
    private final ConcurrentHashMap<ObjectId, Boolean> pending = new ConcurrentHashMap<>();
    private final List<PackContents> written = new ArrayList<>();
    private final List<PackContents> adopted;
    private final List<CompletableFuture<Void>> uploads = new ArrayList<>();
    private final AtomicLong bytesAdded = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private PackBuilder builder;

    ChunkSaver(RepositoryContext ctx, ChunkIndex index, ExecutorService uploader, int uploadSlots,
            List<PackContents> adopted) {
        this.ctx = ctx;
        this.index = index;
        this.uploader = uploader;
        this.uploadSlots = new Semaphore(uploadSlots);
        this.adopted = List.copyOf(adopted);
        this.builder = newBuilder();
    }

    private PackBuilder newBuilder() {
        return new PackBuilder(ctx.config().settings().packSize() + 1024 * 1024);
    }

    /**
     * Stores the first {@code length} bytes of {@code data} unless already stored, or all zeros for DATA
     * (metadata is always stored, so that a metadata stream never has holes of unknown length); returns the id.
     */
    ObjectId save(BlobType type, byte[] data, int length) {
        rethrowFailure();
        if (type == BlobType.DATA && ZeroBlocks.isZero(data, length)) {
            return ObjectId.ZERO;
        }
        var id = ctx.hasher().hash(data, 0, length);
        if (index.contains(id) || pending.putIfAbsent(id, Boolean.TRUE) != null) {
            return id;
        }
        var raw = length == data.length ? data : java.util.Arrays.copyOf(data, length);
        var compressed = ctx.compressor().compress(raw);
        var sealed = ctx.aead().seal(compressed.data(), PackEntry.aad(id, type, compressed.codec(), length));
        bytesAdded.addAndGet(sealed.length);
        Pack full = null;
        synchronized (this) {
            builder.add(id, type, compressed.codec(), length, sealed);
            if (builder.size() >= ctx.config().settings().packSize()) {
                full = finishPack();
            }
        }
        if (full != null) {
            upload(full);
        }
        return id;
    }

    private Pack finishPack() {
        var pack = builder.finish(header -> ctx.aead().seal(header, PackHeader.AAD));
        builder = newBuilder();
        return pack;
    }

    private void upload(Pack pack) {
        try {
            uploadSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScalezException("Interrupted while waiting to upload pack " + pack.key());
        }
        var future = CompletableFuture.runAsync(() -> {
            try {
                ctx.store().putIfAbsent(pack.key(), pack.bytes());
                index.addPack(pack.id(), pack.entries());
                synchronized (written) {
                    written.add(new PackContents(pack.id(), pack.entries()));
                }
                // Only after the index has them, so that no chunk is ever in neither.
                pack.entries().forEach(e -> pending.remove(e.id()));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                uploadSlots.release();
            }
        }, uploader);
        synchronized (uploads) {
            uploads.add(future);
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
     * Uploads the last partial pack, waits for every upload, and writes an index file for the packs this
     * saver wrote plus the orphan packs it adopted. Returns the index file's key, if one was written.
     */
    java.util.Optional<String> flush() {
        Pack last = null;
        synchronized (this) {
            if (!builder.isEmpty()) {
                last = finishPack();
            }
        }
        if (last != null) {
            upload(last);
        }
        List<CompletableFuture<Void>> all;
        synchronized (uploads) {
            all = List.copyOf(uploads);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        rethrowFailure();
        List<PackContents> packs = new ArrayList<>(adopted);
        synchronized (written) {
            packs.addAll(written);
        }
        if (packs.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(writeIndex(ctx, packs));
    }

    /** Seals and stores an index file listing {@code packs}; returns its key. */
    static String writeIndex(RepositoryContext ctx, List<PackContents> packs) {
        var stored = ctx.sealObject(new IndexFile(packs).encode(), IndexFile.AAD);
        var key = IndexFile.key(ObjectId.sha256(stored));
        ctx.store().putIfAbsent(key, stored);
        return key;
    }

    /** Sealed bytes of new blobs this saver stored: what the backup added after dedup and compression. */
    long bytesAdded() {
        return bytesAdded.get();
    }
}
