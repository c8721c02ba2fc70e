package io.cloudconnector.scalez.remote;

import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.BlobSaver;
import io.cloudconnector.scalez.internal.ChunkSaver;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backup's saver when a ScaleZ server writes for it: chunks are hashed here, and only those that neither this
 * backup's index nor the server holds are compressed, sealed with the repository's data key and sent; the
 * server packs, uploads and indexes them, so concurrent backups of one vault dedup against each other.
 *
 * <p>When the server drains (a spot interruption, a stop) it makes what it took durable. This saver then loads
 * the index files the server wrote, checks that every chunk it sent or was told the server holds is in them, and
 * carries on with a {@link ChunkSaver} of its own: the backup completes with the same recovery point it would
 * have had either way. If some chunk is not there (the server died before storing it), the backup fails rather
 * than make a recovery point that lacks it.
 *
 * <p>A backup does not take the server's word for what it stored: a server registered by someone who should not
 * (or one whose store drops writes) could answer {@code missing} with nothing and {@code commit} with 200. When its
 * data is sent ({@link #finishData}) and again after the commit ({@link #putManifest}), this saver reads the
 * repository's index files and checks that they list every chunk it sent or was told the server holds, and after
 * the commit that the store holds the very manifest it sealed; otherwise the backup fails with a
 * {@link RemoteWriterException} and no recovery point remains.
 */
public final class RemoteChunkSaver implements BlobSaver {

    private static final System.Logger LOG = System.getLogger(RemoteChunkSaver.class.getName());

    private final RepositoryContext ctx;
    private final IndexSet indexes;
    private final RemoteSession session;
    private final Executor uploader;
    // Ids this backup sent or was told the server holds; memory grows with the backup's new chunks, like an index.
    private final Set<ObjectId> handled = ConcurrentHashMap.newKeySet();
    private final AtomicLong remoteBytes = new AtomicLong();
    private volatile @org.jspecify.annotations.Nullable ChunkSaver handedOffTo;

    public RemoteChunkSaver(RepositoryContext ctx, IndexSet indexes, RemoteSession session, Executor uploader) {
        this.ctx = ctx;
        this.indexes = indexes;
        this.session = session;
        this.uploader = uploader;
    }

    @Override
    public ObjectId save(BlobType type, byte[] data, int length) {
        var local = handedOffTo;
        if (local != null) {
            return local.save(type, data, length);
        }
        if (type == BlobType.DATA && ZeroBlocks.isZero(data, length)) {
            return ObjectId.ZERO;
        }
        var id = ctx.hasher().hash(data, 0, length);
        if (indexes.index().contains(id) || !handled.add(id)) {
            return id;
        }
        try {
            if (session.missing(List.of(id)).isEmpty()) {
                return id;
            }
            var raw = length == data.length ? data : Arrays.copyOf(data, length);
            var compressed = ctx.compressor().compress(raw);
            var sealed = ctx.blobAead(id).seal(compressed.data(), PackEntry.aad(id, type, compressed.codec(), length));
            remoteBytes.addAndGet(session.store(
                    List.of(new SealedBlob(id, type.code(), compressed.codec().code(), length, sealed))));
            return id;
        } catch (RemoteWriterUnavailableException e) {
            // Not taken by the server: store it here, once everything the server did take is known to be durable.
            return handOff(e).save(type, data, length);
        }
    }

    private synchronized ChunkSaver handOff(RemoteWriterUnavailableException why) {
        if (handedOffTo == null) {
            LOG.log(System.Logger.Level.WARNING, "{0}; the backup continues with its own writer", why.getMessage());
            session.handOff();
            indexes.addNewFiles(ctx);
            long lost =
                    handled.stream().filter(id -> !indexes.index().contains(id)).count();
            if (lost > 0) {
                throw new RemoteWriterException("The ScaleZ server went away before storing " + lost
                        + " chunks this backup sent it; the backup must run again");
            }
            handedOffTo = new ChunkSaver(ctx, indexes.index(), uploader, 2, List.of());
        }
        return handedOffTo;
    }

    @Override
    public long bytesAdded() {
        var local = handedOffTo;
        return remoteBytes.get() + (local == null ? 0 : local.bytesAdded());
    }

    @Override
    public void finishData() {
        var local = handedOffTo;
        if (local != null) {
            local.finishData();
            return;
        }
        try {
            // The point's lock record reads the index files: what the server holds must be in them first.
            session.flush();
        } catch (RemoteWriterUnavailableException e) {
            handOff(e).finishData();
            return;
        }
        long notIndexed = notIndexed();
        if (notIndexed > 0) {
            throw new RemoteWriterException("The ScaleZ server flushed this backup's data, yet the repository's index"
                    + " files do not list " + notIndexed + " of the " + handled.size() + " chunks the backup sent it"
                    + " or was told it holds: the server did not store them (a rogue or broken server); the backup"
                    + " fails and makes no recovery point");
        }
    }

    /** Of the chunks this backup sent the server or was told it holds, those no index file lists (reloading new ones). */
    private long notIndexed() {
        indexes.addNewFiles(ctx);
        var index = indexes.index();
        return handled.stream().filter(id -> !index.contains(id)).count();
    }

    /**
     * After the server's commit: the store must hold the manifest as sealed here and the index files must list
     * every chunk the backup relied on. Otherwise the backup fails, and a manifest the server did store is deleted
     * so that no recovery point lacking its data appears.
     */
    private void verifyCommit(String recoveryPointId, byte[] sealedManifest) {
        var key = Manifest.key(recoveryPointId);
        byte[] stored;
        try {
            stored = ctx.store().get(key);
        } catch (BlobNotFoundException e) {
            throw new RemoteWriterException("The ScaleZ server acknowledged the commit of recovery point "
                    + recoveryPointId + ", yet " + key + " is not in "
                    + ctx.store().location()
                    + ": the server did not store it (a rogue or broken server); the backup fails");
        }
        if (!Arrays.equals(stored, sealedManifest)) {
            throw new RemoteWriterException("After the ScaleZ server's commit, " + key + " in "
                    + ctx.store().location() + " is not the manifest this backup sealed; the backup fails");
        }
        long notIndexed = notIndexed();
        if (notIndexed > 0) {
            try {
                ctx.store().delete(key);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not delete the unbacked manifest {0}: {1}", key, e);
            }
            throw new RemoteWriterException("After the ScaleZ server's commit of recovery point " + recoveryPointId
                    + ", the repository's index files do not list " + notIndexed + " chunks it relies on; the"
                    + " backup fails and its manifest was deleted");
        }
    }

    @Override
    public void putManifest(String recoveryPointId, byte[] sealedManifest) {
        if (handedOffTo == null) {
            try {
                session.commit(recoveryPointId, sealedManifest);
                verifyCommit(recoveryPointId, sealedManifest);
                return;
            } catch (RemoteWriterUnavailableException e) {
                handOff(e).finishData();
            }
        }
        java.util.Objects.requireNonNull(handedOffTo).putManifest(recoveryPointId, sealedManifest);
    }
}
