package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.Backup;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.crypto.KeyFile;
import io.cloudconnector.scalez.crypto.MasterKeys;
import io.cloudconnector.scalez.crypto.WrongCredentialException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.BlobSaver;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.ChunkSaver;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.internal.Workers;
import io.cloudconnector.scalez.maintenance.CheckReport;
import io.cloudconnector.scalez.maintenance.Checker;
import io.cloudconnector.scalez.maintenance.ForgetResult;
import io.cloudconnector.scalez.maintenance.PruneResult;
import io.cloudconnector.scalez.maintenance.Pruner;
import io.cloudconnector.scalez.maintenance.Retention;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.RecoveryPointIds;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.model.SourceKind;
import io.cloudconnector.scalez.remote.RemoteChunkSaver;
import io.cloudconnector.scalez.remote.RemoteSession;
import io.cloudconnector.scalez.repo.lock.BlobStoreLocks;
import io.cloudconnector.scalez.repo.lock.RepositoryLocks;
import io.cloudconnector.scalez.restore.RecoveryPointReader;
import io.cloudconnector.scalez.restore.Restorer;
import io.cloudconnector.scalez.sink.BlockSink;
import io.cloudconnector.scalez.sink.ImageFileSink;
import io.cloudconnector.scalez.source.BlockSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A ScaleZ repository in a blob store: the engine's public API. Layout: {@code config}, {@code keys/},
 * {@code packs/<2hex>/<id>}, {@code index/<id>}, {@code snapshots/<rp-id>}, {@code locks/}; a backup writes
 * packs, then an index file, then the manifest; deletion goes the other way. Thread-safe; operations lock
 * the repository (shared for backup, forget and check; exclusive for prune). The blob store stays the caller's:
 * a repository holds no resources of its own between operations.
 *
 * <p>It is longer than the usual 450 lines because it is the whole public API of the engine: each operation is a short
 * method that takes the lock and hands the work to its job package (backup, restore, maintenance).
 */
public final class Repository {

    private final RepositoryContext ctx;
    private final RepositoryLocks locks;
    private final RepositoryOptions options;
    private final MasterKeys masterKeys;

    private Repository(RepositoryContext ctx, MasterKeys masterKeys, RepositoryOptions options) {
        this.ctx = ctx;
        this.masterKeys = masterKeys;
        this.options = options;
        this.locks = options.locks() != null
                ? options.locks()
                : new BlobStoreLocks(ctx.store(), options.clock(), options.lockTtl(), options.lockWait());
    }

    /** Creates a repository with default settings and options. */
    public static Repository init(BlobStore store, KeyCredential credential) {
        return init(store, credential, RepositorySettings.defaults(), RepositoryOptions.defaults());
    }

    /**
     * Creates a repository: a fresh master key set wrapped by {@code credential} (KMS is called before anything
     * is written, so a refused key leaves the store untouched), then the key file, then the config.
     */
    public static Repository init(
            BlobStore store, KeyCredential credential, RepositorySettings settings, RepositoryOptions options) {
        var created = RepositoryKeys.create(store, credential, settings);
        return new Repository(
                RepositoryContext.of(store, created.config(), created.keys(), options.clock(), options.workers()),
                created.keys(),
                options);
    }

    /** Opens a repository with default options. */
    public static Repository open(BlobStore store, KeyCredential credential) {
        return open(store, credential, RepositoryOptions.defaults());
    }

    /**
     * Opens a repository: finds a key file that {@code credential} unlocks and reads the config. A wrong
     * passphrase or KMS context is a {@link WrongCredentialException}; a damaged key file or config that
     * prevents opening is a {@link CorruptObjectException} naming it. Nothing is written.
     */
    public static Repository open(BlobStore store, KeyCredential credential, RepositoryOptions options) {
        var unlocked = RepositoryKeys.unlock(store, credential);
        return new Repository(
                RepositoryContext.of(store, unlocked.config(), unlocked.keys(), options.clock(), options.workers()),
                unlocked.keys(),
                options);
    }

    /** Adds a key file so that {@code credential} opens this repository too (e.g. KMS next to a passphrase). */
    public void addKey(KeyCredential credential) {
        var file = KeyFile.wrap(masterKeys, credential, id());
        ctx.store().putIfAbsent(RepositoryKeys.keyKey(file), file.encoded());
    }

    /**
     * The open repository's store, keys and codecs, for the {@code SharedWriter} of a ScaleZ server. Engine-internal:
     * its type lives in {@code internal}, which code outside the engine may not use (ArchitectureTests).
     */
    public RepositoryContext context() {
        return ctx;
    }

    // Tests check that no stored object holds the keys in the clear.
    MasterKeys masterKeysForTests() {
        return masterKeys;
    }

    /** The repository id (also the {@code repository} entry of the KMS encryption context). */
    public String id() {
        return ctx.config().repositoryId();
    }

    /** The settings fixed at init. */
    public RepositorySettings settings() {
        return ctx.config().settings();
    }

    // --- backup ---------------------------------------------------------------------------------------

    /** Backs up a block device or image; with a parent (and optionally a changed-block set) incrementally. */
    public RecoveryPoint backupBlocks(BlockSource source, BackupOptions options) {
        var description = options.source() != null ? options.source() : source.description();
        return backup(SourceKind.BLOCK, description, options, source.size(), (backup, loader) -> {
            Manifest parent = null;
            if (options.parent() != null) {
                parent = manifest(options.parent());
                if (parent.summary().kind() != SourceKind.BLOCK) {
                    throw new ScalezException("Parent " + options.parent() + " is a "
                            + parent.summary().kind().label() + " recovery point, not a block one");
                }
            } else if (options.changedBlocks() != null) {
                throw new ScalezException("A changed-block set needs a parent recovery point");
            }
            return backup.blocks(source, parent, options.changedBlocks(), loader);
        });
    }

    /** Backs up one file. */
    public RecoveryPoint backupFile(Path file, BackupOptions options) {
        rejectParent(options);
        var description = options.source() != null
                ? options.source()
                : file.toAbsolutePath().toString();
        try (var in = Files.newInputStream(file)) {
            long size = Files.size(file);
            return backup(SourceKind.FILE, description, options, -1, (backup, loader) -> backup.stream(in, size));
        } catch (IOException e) {
            throw new ScalezException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Backs up a stream (e.g. stdin) to its end. */
    public RecoveryPoint backupStream(InputStream in, BackupOptions options) {
        rejectParent(options);
        var description = options.source() != null ? options.source() : "-";
        return backup(SourceKind.STREAM, description, options, -1, (backup, loader) -> backup.stream(in, -1));
    }

    /** Backs up a directory tree with modes, owners, times and symlinks. */
    public RecoveryPoint backupTree(Path root, BackupOptions options) {
        return backupTree(List.of(root), options);
    }

    /**
     * Backs up several paths (files, directories, symlinks) as one tree whose root holds them by file name; a
     * single directory is itself the root.
     */
    public RecoveryPoint backupTree(List<Path> paths, BackupOptions options) {
        rejectParent(options);
        if (paths.isEmpty()) {
            throw new ScalezException("Nothing to back up");
        }
        var description = options.source() != null
                ? options.source()
                : String.join(
                        " ",
                        paths.stream().map(p -> p.toAbsolutePath().toString()).toList());
        if (paths.size() == 1 && !Files.isDirectory(paths.getFirst(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ScalezException("Cannot back up tree " + paths.getFirst() + ": not a directory");
        }
        return backup(
                SourceKind.TREE,
                description,
                options,
                -1,
                (backup, loader) -> backup.tree(paths, ctx.clock().instant()));
    }

    private static void rejectParent(BackupOptions options) {
        if (options.parent() != null || options.changedBlocks() != null) {
            throw new ScalezException("Only block backups take a parent and changed blocks;"
                    + " other backups dedup against everything stored");
        }
    }

    private interface BackupBody {
        List<ObjectId> run(Backup backup, ChunkLoader loader);
    }

    private RecoveryPoint backup(
            SourceKind kind, String source, BackupOptions options, long logicalSize, BackupBody body) {
        long started = System.nanoTime();
        try (var lease = locks.lockShared("backup");
                var workers = new Workers(ctx.workers(), "backup")) {
            var indexes = IndexSet.load(ctx);
            var session = openRemote(kind.label() + " backup of " + source);
            try {
                // A server adopts orphan packs itself; only a backup that writes its own packs needs to.
                BlobSaver saver = session.isPresent()
                        ? new RemoteChunkSaver(ctx, indexes, session.get(), workers.io())
                        : new ChunkSaver(
                                ctx,
                                indexes.index(),
                                workers.io(),
                                2,
                                PackFiles.adoptOrphans(
                                        ctx, indexes.index(), indexes.packs().keySet()));
                var backup = new Backup(ctx, saver, workers, options.progress());
                var roots = body.run(backup, new ChunkLoader(ctx, indexes.index()));
                saver.finishData();
                lease.verifyHeld();
                var id = RecoveryPointIds.next(ctx.clock());
                var point = new RecoveryPoint(
                        id,
                        kind,
                        ctx.clock().instant(),
                        options.parent(),
                        source,
                        options.labels(),
                        logicalSize >= 0 ? logicalSize : backup.bytesProcessed(),
                        backup.bytesProcessed(),
                        saver.bytesAdded(),
                        Duration.ofNanos(System.nanoTime() - started));
                saver.putManifest(id, new Manifest(point, roots).seal(ctx.aead()));
                return point;
            } finally {
                session.ifPresent(RemoteSession::close);
            }
        }
    }

    private java.util.Optional<RemoteSession> openRemote(String purpose) {
        var remote = options.remoteWriter();
        return remote == null ? java.util.Optional.empty() : remote.open(id(), purpose);
    }

    // --- restore and read -------------------------------------------------------------------------------

    /**
     * Restores a recovery point to {@code target}: a block one into an image file (sparse) or device, a file or
     * stream one into a file, a tree into a directory.
     */
    public void restore(String id, Path target, ProgressListener progress) {
        var manifest = manifest(id);
        switch (manifest.summary().kind()) {
            case BLOCK -> {
                try (var sink = ImageFileSink.open(target)) {
                    restoreBlocks(manifest, sink, progress);
                }
            }
            case FILE, STREAM -> {
                try (var out = Files.newOutputStream(target)) {
                    withRestorer(progress, (restorer, m) -> restorer.stream(m, out), manifest);
                } catch (IOException e) {
                    throw new ScalezException("Cannot write " + target + ": " + e.getMessage(), e);
                }
            }
            case TREE -> withRestorer(progress, (restorer, m) -> restorer.tree(m, target), manifest);
        }
    }

    /** Restores a block recovery point into any block sink (image, device, EBS snapshot). */
    public void restoreBlocks(String id, BlockSink sink, ProgressListener progress) {
        restoreBlocks(manifest(id), sink, progress);
    }

    private void restoreBlocks(Manifest manifest, BlockSink sink, ProgressListener progress) {
        if (manifest.summary().kind() != SourceKind.BLOCK) {
            throw new ScalezException(manifest.summary().id() + " is not a block recovery point");
        }
        withRestorer(progress, (restorer, m) -> restorer.blocks(m, sink), manifest);
    }

    /** Writes the bytes of a block, file or stream recovery point to {@code out}. */
    public void restoreStream(String id, OutputStream out, ProgressListener progress) {
        var manifest = manifest(id);
        if (manifest.summary().kind() == SourceKind.TREE) {
            throw new ScalezException(id + " is a tree; restore it into a directory");
        }
        if (manifest.summary().kind() == SourceKind.BLOCK) {
            var reader = reader(id);
            var buffer = new byte[1 << 20];
            try {
                for (long at = 0; at < reader.size(); ) {
                    int n = reader.read(at, buffer, 0, buffer.length);
                    out.write(buffer, 0, n);
                    at += n;
                    progress.progressed(at, reader.size());
                }
            } catch (IOException e) {
                throw new ScalezException("Cannot write restored data: " + e.getMessage(), e);
            }
            return;
        }
        withRestorer(progress, (restorer, m) -> restorer.stream(m, out), manifest);
    }

    private interface RestoreBody {
        void run(Restorer restorer, Manifest manifest);
    }

    private void withRestorer(ProgressListener progress, RestoreBody body, Manifest manifest) {
        try (var workers = new Workers(ctx.workers(), "restore")) {
            workers.warmUpOpening(manifest.summary().logicalSize());
            var loader = new ChunkLoader(ctx, IndexSet.load(ctx).index());
            body.run(new Restorer(loader, workers, progress), manifest);
        }
    }

    /** Random access to a recovery point's bytes (or a tree's files). */
    public RecoveryPointReader reader(String id) {
        var manifest = manifest(id);
        return RecoveryPointReader.of(new ChunkLoader(ctx, IndexSet.load(ctx).index()), manifest);
    }

    // --- list and forget -------------------------------------------------------------------------------

    /** All recovery points, oldest first. */
    public List<RecoveryPoint> list() {
        var points = new ArrayList<RecoveryPoint>();
        for (var info : ctx.store().list("snapshots/")) {
            try {
                points.add(manifest(info.key().substring("snapshots/".length())).summary());
            } catch (BlobNotFoundException e) {
                // forgotten between list and get
            }
        }
        points.sort(Comparator.comparing(RecoveryPoint::time).thenComparing(RecoveryPoint::id));
        return points;
    }

    /** One recovery point. */
    public RecoveryPoint recoveryPoint(String id) {
        return manifest(id).summary();
    }

    Manifest manifest(String id) {
        if (!RecoveryPointIds.isValid(id)) {
            throw new ScalezException("Not a recovery point id: " + id);
        }
        var key = Manifest.key(id);
        byte[] stored;
        try {
            stored = ctx.store().get(key);
        } catch (BlobNotFoundException e) {
            throw new ScalezException(
                    "No recovery point " + id + " in " + ctx.store().location());
        }
        try {
            return Manifest.open(id, stored, ctx.aead());
        } catch (DecryptionException | FormatException e) {
            throw new CorruptObjectException(key, "does not decrypt or parse: " + e.getMessage());
        }
    }

    /** Deletes one recovery point's manifest; its data goes at the next prune. */
    public void forget(String id) {
        manifest(id);
        try (var lease = locks.lockShared("forget")) {
            lease.verifyHeld();
            ctx.store().delete(Manifest.key(id));
        }
    }

    /** Deletes every recovery point the policy does not keep. */
    public ForgetResult forget(RetentionPolicy policy) {
        if (policy.isEmpty()) {
            throw new ScalezException("Refusing to forget with an empty retention policy: it would remove everything");
        }
        try (var lease = locks.lockShared("forget")) {
            var all = list();
            var keep = Retention.keep(all, policy);
            var kept = new ArrayList<RecoveryPoint>();
            var removed = new ArrayList<RecoveryPoint>();
            for (var p : all) {
                if (keep.contains(p.id())) {
                    kept.add(p);
                } else {
                    lease.verifyHeld();
                    ctx.store().delete(Manifest.key(p.id()));
                    removed.add(p);
                }
            }
            return new ForgetResult(kept, removed);
        }
    }

    // --- maintenance ------------------------------------------------------------------------------------

    /** Deletes unreferenced data and repacks mostly-garbage packs, under the exclusive lock. */
    public PruneResult prune() {
        try (var lease = locks.lockExclusive("prune")) {
            return new Pruner(ctx, options.orphanGrace()).run(lease);
        }
    }

    /** Checks structure: every object decrypts or hashes to its name, every needed chunk is indexed and stored. */
    public CheckReport check() {
        try (var lease = locks.lockShared("check")) {
            return new Checker(ctx).checkStructure();
        }
    }

    /** Checks structure and reads every pack: every blob decrypts, decodes and hashes to its id. */
    public CheckReport checkReadData() {
        try (var lease = locks.lockShared("check")) {
            return new Checker(ctx).checkReadingData();
        }
    }

    /** Logical, unique and stored sizes, with dedup and compression ratios. */
    public RepositoryStats stats() {
        return RepositoryStats.of(ctx, list());
    }

    /** The decoded form of a stored object, for debugging ({@code scalez cat}). */
    public String describe(String key) {
        return new ObjectDescriber(ctx).describe(key);
    }

    /** The blob store this repository lives in. */
    public BlobStore store() {
        return ctx.store();
    }
}
