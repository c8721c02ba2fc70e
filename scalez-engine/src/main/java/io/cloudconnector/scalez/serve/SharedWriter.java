package io.cloudconnector.scalez.serve;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.ChunkSaver;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.model.RecoveryPointIds;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.remote.SealedBlob;
import io.cloudconnector.scalez.repo.Repository;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The single writer of one repository for many concurrent backups: what a ScaleZ server runs. It owns the
 * dedup index (loaded from the repository's index files and orphan packs), takes the sealed blobs sessions send
 * (keeping the first copy of each chunk), packs and uploads them with bounded memory, and writes an index file
 * whenever a session commits. Thread-safe.
 *
 * <p>Other writers may work on the repository too (backups that could not reach a server, a prune): at every
 * {@link #refresh} the writer picks up their index files, and reloads everything after a prune replaced index
 * files it knew. A prune cannot run during a session, because the session's backup holds its shared lock.
 */
public final class SharedWriter implements AutoCloseable {

    /** Longest blob a chunk can seal to: the largest chunk (8 MiB max in any settings) plus zstd's worst case. */
    private static final int MAX_SEALED_LENGTH = 16 << 20;

    private final RepositoryContext ctx;
    private final ExecutorService uploads;
    private final int uploadSlots;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong bytesStored = new AtomicLong();
    private final AtomicLong blobsStored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong indexFilesWritten = new AtomicLong();
    private IndexSet indexes;
    private ChunkSaver saver;
    private Set<String> knownIndexFiles;

    private SharedWriter(RepositoryContext ctx, int uploadSlots) {
        this.ctx = ctx;
        this.uploadSlots = uploadSlots;
        var counter = new AtomicLong();
        this.uploads = Executors.newFixedThreadPool(uploadSlots, r -> {
            var t = new Thread(r, "scalez-shared-upload-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        reload();
    }

    /**
     * The shared writer of an open repository; {@code uploadSlots} packs upload at once (each ~{@code packSize}
     * in memory while waiting, plus the one being filled).
     */
    public static SharedWriter open(Repository repository, int uploadSlots) {
        if (uploadSlots < 1) {
            throw new IllegalArgumentException("uploadSlots must be at least 1, was " + uploadSlots);
        }
        return new SharedWriter(repository.context(), uploadSlots);
    }

    // Caller holds the write lock, or is the constructor.
    private void reload() {
        indexes = IndexSet.loadForWriting(ctx);
        var adopted = PackFiles.adoptOrphans(ctx, indexes.index(), List.of());
        saver = new ChunkSaver(ctx, indexes.index(), uploads, uploadSlots, adopted);
        knownIndexFiles = ConcurrentHashMap.newKeySet();
        knownIndexFiles.addAll(indexes.fileKeys());
    }

    /** The repository this writer writes. */
    public String repositoryId() {
        return ctx.config().repositoryId();
    }

    /**
     * Makes this writer current with the repository before a session starts: indexes what it holds, adds index
     * files other writers wrote, and reloads the whole index if one it knew is gone (a prune ran).
     */
    public void refresh() {
        lock.writeLock().lock();
        try {
            saver.flush().ifPresent(key -> {
                indexFilesWritten.incrementAndGet();
                knownIndexFiles.add(key);
            });
            var listed = ctx.store().list("index/").stream()
                    .map(info -> info.key())
                    .collect(java.util.stream.Collectors.toSet());
            if (!listed.containsAll(knownIndexFiles)) {
                reload();
                return;
            }
            for (var key : indexes.addNewFiles(ctx)) {
                knownIndexFiles.add(key);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Of {@code ids}, those this writer neither stores nor holds: the ones a session must send. */
    public List<ObjectId> missing(List<ObjectId> ids) {
        lock.readLock().lock();
        try {
            var missing = new ArrayList<ObjectId>();
            for (var id : ids) {
                if (!id.isZero() && !saver.holds(id)) {
                    missing.add(id);
                }
            }
            return missing;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Takes one sealed blob unless this writer holds its chunk already; returns the sealed bytes stored (0 for a
     * duplicate). The blob must authenticate under its chunk's key in the repository with its id, type, codec and length
     * as AAD, so that no session can store a chunk under a wrong id.
     */
    public long store(SealedBlob blob) {
        BlobType type;
        Codec codec;
        try {
            type = BlobType.ofCode(blob.type());
            codec = Codec.ofCode(blob.codec());
        } catch (FormatException e) {
            throw new RejectedWriteException("Blob " + blob.id().shortHex() + ": " + e.getMessage());
        }
        if (blob.sealed().length > MAX_SEALED_LENGTH
                || blob.rawLength() < 0
                || blob.id().isZero()) {
            throw new RejectedWriteException("Blob " + blob.id().shortHex() + " has an impossible length or id");
        }
        try {
            ctx.blobAead(blob.id()).open(blob.sealed(), PackEntry.aad(blob.id(), type, codec, blob.rawLength()));
        } catch (DecryptionException e) {
            throw new RejectedWriteException("Blob " + blob.id().shortHex()
                    + " does not authenticate under this repository's key with its id, type, codec and length");
        }
        lock.readLock().lock();
        try {
            if (saver.saveSealed(blob.id(), type, codec, blob.rawLength(), blob.sealed())) {
                blobsStored.incrementAndGet();
                bytesStored.addAndGet(blob.sealed().length);
                return blob.sealed().length;
            }
            duplicates.incrementAndGet();
            return 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Uploads everything taken so far and indexes it; when this returns, all of it is durable. */
    public void flush() {
        lock.readLock().lock();
        try {
            saver.flush().ifPresent(key -> {
                indexFilesWritten.incrementAndGet();
                knownIndexFiles.add(key);
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Flushes, then stores a session's sealed manifest create-only: it must open under the repository's key and
     * name itself {@code recoveryPointId}, and every root chunk it names must be indexed. Storing the same bytes
     * again succeeds (a retried commit); other bytes under that id are refused.
     */
    public void putManifest(String recoveryPointId, byte[] sealedManifest) {
        if (!RecoveryPointIds.isValid(recoveryPointId)) {
            throw new RejectedWriteException("Not a recovery point id: " + recoveryPointId);
        }
        Manifest manifest;
        try {
            manifest = Manifest.open(recoveryPointId, sealedManifest, ctx.aead());
        } catch (DecryptionException | FormatException e) {
            throw new RejectedWriteException("Manifest of " + recoveryPointId + " does not open: " + e.getMessage());
        }
        flush();
        lock.readLock().lock();
        try {
            for (var root : manifest.roots()) {
                if (!indexes.index().contains(root)) {
                    throw new RejectedWriteException("Manifest of " + recoveryPointId + " needs chunk "
                            + root.shortHex() + ", which the repository does not hold");
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        var key = Manifest.key(recoveryPointId);
        if (!ctx.store().putIfAbsent(key, sealedManifest)) {
            byte[] existing;
            try {
                existing = ctx.store().get(key);
            } catch (BlobNotFoundException e) {
                throw new ScalezException("Manifest " + key + " vanished while being stored");
            }
            if (!Arrays.equals(existing, sealedManifest)) {
                throw new RejectedWriteException("Recovery point " + recoveryPointId + " already exists");
            }
        }
    }

    /** What this writer holds and did. */
    public Stats stats() {
        lock.readLock().lock();
        try {
            return new Stats(
                    indexes.index().size(),
                    blobsStored.get(),
                    bytesStored.get(),
                    duplicates.get(),
                    indexFilesWritten.get());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Counters of a shared writer: chunks in its index, blobs and sealed bytes it stored, duplicate blobs it
     * dropped (sent by two sessions at once), and index files it wrote.
     */
    public record Stats(
            long chunks, long blobsStored, long bytesStored, long duplicatesDropped, long indexFilesWritten) {}

    /** Flushes what it holds and stops its upload threads. */
    @Override
    public void close() {
        try {
            flush();
        } finally {
            uploads.shutdown();
            try {
                if (!uploads.awaitTermination(30, TimeUnit.SECONDS)) {
                    uploads.shutdownNow();
                }
            } catch (InterruptedException e) {
                uploads.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
