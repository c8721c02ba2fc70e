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
import io.cloudconnector.scalez.internal.LockOverride;
import io.cloudconnector.scalez.internal.LockView;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.OriginalVersions;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.PinnedBlobStore;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.internal.Workers;
import io.cloudconnector.scalez.maintenance.CheckReport;
import io.cloudconnector.scalez.maintenance.Checker;
import io.cloudconnector.scalez.maintenance.ForgetResult;
import io.cloudconnector.scalez.maintenance.MaintenanceOptions;
import io.cloudconnector.scalez.maintenance.MaintenanceResult;
import io.cloudconnector.scalez.maintenance.PruneResult;
import io.cloudconnector.scalez.maintenance.Pruner;
import io.cloudconnector.scalez.maintenance.Retention;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.model.ComplianceLockException;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.RecoveryPointIds;
import io.cloudconnector.scalez.model.RecoveryPointLockedException;
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
import java.time.Instant;
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
 * <p><b>Object Lock and lifecycle</b> (storage-format §7.2, §12), for services: in a versioned S3 bucket each
 * recovery point records the object versions it needs and its lock end, and a backup extends the retention of
 * older objects it reuses. {@link #lockState} reads a point's lock ({@link RecoveryPointLock}), {@link #locks}
 * every point's; {@link #forget(String)}
 * throws {@link RecoveryPointLockedException} (carrying {@code lockedUntil}; a service answers 409) while the lock
 * has not ended or the point is under legal hold; {@link #legalHold} puts or removes a legal hold;
 * {@link #changeLock} extends, or in governance mode with {@code bypassGovernance} shortens, a point's lock (compliance:
 * {@link ComplianceLockException}); {@link #extendLocks} re-extends what locked points need; {@link #maintain} is
 * the whole {@code vault-maintenance} run (retention policy, forgets, lock extension, prune, check with a rotating
 * read-data sample) under the exclusive lock, returning a {@link MaintenanceResult}. Reads of a locked point use
 * the recorded versions, so nothing written over them later is read.
 *
 * <p>It is longer than the usual 450 lines because it is the whole public API of the engine: each operation is a short
 * method that takes the lock and hands the work to its job package (backup, restore, maintenance).
 */
public final class Repository {

    private final RepositoryContext ctx;
    private final RepositoryLocks locks;
    private final RepositoryOptions options;
    private final MasterKeys masterKeys;
    private final PointLocks pointLocks;

    private Repository(RepositoryContext ctx, MasterKeys masterKeys, RepositoryOptions options) {
        this.ctx = ctx;
        this.masterKeys = masterKeys;
        this.options = options;
        this.locks = options.locks() != null
                ? options.locks()
                : new BlobStoreLocks(ctx.store(), options.clock(), options.lockTtl(), options.lockWait());
        this.pointLocks = new PointLocks(ctx);
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
        RepositoryKeys.Unlocked unlocked;
        try {
            unlocked = RepositoryKeys.unlock(store, credential);
        } catch (CorruptObjectException | WrongCredentialException e) {
            // Someone else overwrote or hid the key files or config: the engine's own (oldest) versions still open.
            if (!store.isVersioned()) {
                throw e;
            }
            try {
                unlocked = RepositoryKeys.unlock(new OriginalVersions(store), credential);
            } catch (ScalezException again) {
                e.addSuppressed(again);
                throw e;
            }
        }
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
        var startedAt = ctx.clock().instant();
        try (var lease = locks.lockShared("backup");
                var workers = new Workers(ctx.workers(), "backup")) {
            var indexes = IndexSet.loadForWriting(ctx);
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
                                PackFiles.adoptOrphans(ctx, indexes.index(), List.of()));
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
                var manifest = new Manifest(point, roots);
                var record = pointLocks.record(manifest, startedAt, options.retainUntil());
                lease.verifyHeld();
                saver.putManifest(id, new Manifest(point, roots, record).seal(ctx.aead()));
                if (record != null) {
                    pointLocks.extendManifest(id, record);
                }
                return point;
            } finally {
                session.ifPresent(RemoteSession::close);
                indexes.index().close();
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
            var read = readContext(manifest);
            var loader = new ChunkLoader(read, IndexSet.load(read).index());
            body.run(new Restorer(loader, workers, progress), manifest);
        }
    }

    /** Random access to a recovery point's bytes (or a tree's files). */
    public RecoveryPointReader reader(String id) {
        var manifest = manifest(id);
        var read = readContext(manifest);
        return RecoveryPointReader.of(new ChunkLoader(read, IndexSet.load(read).index()), manifest);
    }

    /**
     * Where a point's data is read from: while Object Lock protects a recorded point (locked or held), exactly the
     * object versions it recorded, so that nothing written or hidden since (an attacker's overwrite or delete
     * marker) is read; otherwise the store's current objects.
     */
    private RepositoryContext readContext(Manifest manifest) {
        var record = manifest.record();
        if (record == null || !ctx.store().isVersioned()) {
            return ctx;
        }
        if (pointLocks.state(manifest).isLockedAt(ctx.clock().instant())) {
            return ctx.withStore(new PinnedBlobStore(ctx.store(), record));
        }
        return ctx;
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
        try {
            return Manifest.open(id, ctx.store().get(key), ctx.aead());
        } catch (BlobNotFoundException | DecryptionException | FormatException e) {
            // In a versioned store a manifest hidden by a delete marker or overwritten is still there: the
            // engine's own version is the oldest (manifests are written once, create-only). Only a point that
            // Object Lock still protects is read that way: the engine never forgets one, so its manifest missing
            // or overwritten is someone else's doing; an unprotected point may have been forgotten.
            if (ctx.store().isVersioned()) {
                try {
                    var original = Manifest.open(id, new OriginalVersions(ctx.store()).get(key), ctx.aead());
                    if (pointLocks.state(original).isLockedAt(ctx.clock().instant())) {
                        return original;
                    }
                } catch (BlobNotFoundException | DecryptionException | FormatException again) {
                    e.addSuppressed(again);
                }
            }
            if (e instanceof BlobNotFoundException) {
                throw new ScalezException(
                        "No recovery point " + id + " in " + ctx.store().location());
            }
            throw new CorruptObjectException(key, "does not decrypt or parse: " + e.getMessage());
        }
    }

    /**
     * Deletes one recovery point's manifest; its data goes at the next prune.
     *
     * @throws RecoveryPointLockedException if Object Lock still protects it: its lock ({@code lockedUntil}) has not
     *     ended or it is under legal hold. Services answer 409 naming {@code lockedUntil}.
     */
    public void forget(String id) {
        var manifest = manifest(id);
        pointLocks.requireForgettable(manifest);
        try (var lease = locks.lockShared("forget")) {
            lease.verifyHeld();
            deleteManifest(id);
        }
    }

    private void deleteManifest(String id) {
        // In a versioned store a delete marker; prune deletes the versions once nothing retains them.
        ctx.store().delete(Manifest.key(id));
        if (ctx.store().isVersioned()) {
            ctx.store().delete(LockOverride.key(id));
        }
    }

    /**
     * Deletes every recovery point the policy does not keep. Points that Object Lock still protects (locked or
     * held) are kept whatever the policy says, and listed among the kept ones.
     */
    public ForgetResult forget(RetentionPolicy policy) {
        if (policy.isEmpty()) {
            throw new ScalezException("Refusing to forget with an empty retention policy: it would remove everything");
        }
        try (var lease = locks.lockShared("forget")) {
            return forgetUnlocked(policy, lease);
        }
    }

    private ForgetResult forgetUnlocked(RetentionPolicy policy, RepositoryLocks.Lease lease) {
        var all = list();
        var keep = Retention.keep(all, policy);
        var kept = new ArrayList<RecoveryPoint>();
        var removed = new ArrayList<RecoveryPoint>();
        var now = ctx.clock().instant();
        for (var p : all) {
            if (keep.contains(p.id()) || pointLocks.state(manifest(p.id())).isLockedAt(now)) {
                kept.add(p);
            } else {
                lease.verifyHeld();
                deleteManifest(p.id());
                removed.add(p);
            }
        }
        return new ForgetResult(kept, removed);
    }

    // --- maintenance ------------------------------------------------------------------------------------

    /**
     * Deletes unreferenced data and repacks mostly-garbage packs, under the exclusive lock. In a versioned store it
     * deletes every version of what it removes, except versions still retained (the bucket default from their write
     * time, or a retention the engine recorded) or needed by a locked or held point; those stay, hidden, until a
     * later run.
     */
    public PruneResult prune() {
        try (var lease = locks.lockExclusive("prune")) {
            return pruner().run(lease);
        }
    }

    private Pruner pruner() {
        return new Pruner(ctx, options.orphanGrace(), ctx.store().isVersioned() ? LockView.load(ctx) : null);
    }

    // --- Object Lock --------------------------------------------------------------------------------------------

    /** A recovery point's lock state from the engine's records (its lock end, mode, legal hold). */
    public RecoveryPointLock lockState(String id) {
        return pointLocks.state(manifest(id));
    }

    /**
     * The lock state of every recovery point, oldest first: e.g. the latest {@code lockedUntil} (and any legal
     * hold) says from when a whole vault can be purged.
     */
    public List<RecoveryPointLock> locks() {
        var result = new ArrayList<RecoveryPointLock>();
        for (var point : list()) {
            try {
                result.add(pointLocks.state(manifest(point.id())));
            } catch (CorruptObjectException e) {
                throw e;
            } catch (ScalezException e) {
                // forgotten meanwhile
            }
        }
        return result;
    }

    /**
     * Puts ({@code on}) or removes an S3 legal hold on every object version the point needs (index files, packs,
     * its manifest). A held point is never forgotten or pruned, whatever its retention. Idempotent. Removing it
     * leaves the hold on versions that another held point needs.
     *
     * @return how many object versions it changed
     * @throws ScalezException if the point records no object versions (a store without versioning)
     */
    public int legalHold(String id, boolean on) {
        var manifest = manifest(id);
        try (var lease = locks.lockShared(on ? "legal-hold" : "legal-hold-off")) {
            lease.verifyHeld();
            return pointLocks.legalHold(manifest, on);
        }
    }

    /**
     * Moves a point's lock end to {@code until}. Extending needs nothing special. Shortening or lifting (an
     * {@code until} not after now): refused with {@link ComplianceLockException} in compliance mode; in governance
     * mode it needs {@code bypassGovernance} (S3's {@code BypassGovernanceRetention}, a permission the caller's role
     * must have), else {@link RecoveryPointLockedException}. Shared versions are shortened no further than another
     * locked or held point needs. Idempotent.
     *
     * @return the point's new lock end
     */
    public RecoveryPointLock changeLock(String id, Instant until, boolean bypassGovernance) {
        var manifest = manifest(id);
        try (var lease = locks.lockShared("change-lock")) {
            lease.verifyHeld();
            pointLocks.changeLock(manifest, until, bypassGovernance);
        }
        return lockState(id);
    }

    /**
     * Re-extends the retention of every object version a locked point needs up to its lock end where the engine's
     * records say it falls short (kopia's "extend object locks"); returns how many versions it extended.
     */
    public int extendLocks() {
        try (var lease = locks.lockShared("extend-locks")) {
            return ctx.store().isVersioned() ? pointLocks.extendLocks(LockView.load(ctx)) : 0;
        }
    }

    /**
     * One maintenance run, the service's {@code vault-maintenance} job, under the exclusive lock for its whole
     * length (backups wait for it, or it for them, up to the lock wait): applies the retention policy and forgets
     * the given points (those Object Lock protects are kept and reported), re-extends locks, prunes, then checks
     * structure and reads the day's sample of packs (a pack is read on the day when the first four bytes of its id,
     * as an unsigned number, modulo {@code readDataCycleDays} equal the epoch day modulo the same: every pack once
     * per cycle). Each step is safe to interrupt (kill -9): the next run finishes the work.
     */
    public MaintenanceResult maintain(MaintenanceOptions maintenance) {
        try (var lease = locks.lockExclusive("maintenance")) {
            int forgotten = 0;
            var keptLocked = new ArrayList<String>();
            var now = ctx.clock().instant();
            var policy = maintenance.policy();
            if (policy != null && !policy.isEmpty()) {
                var keep = Retention.keep(list(), policy);
                var result = forgetUnlocked(policy, lease);
                forgotten += result.removed().size();
                for (var p : result.kept()) {
                    if (!keep.contains(p.id())) {
                        keptLocked.add(p.id());
                    }
                }
            }
            for (var id : maintenance.forget()) {
                Manifest manifest;
                try {
                    manifest = manifest(id);
                } catch (CorruptObjectException e) {
                    throw e;
                } catch (ScalezException e) {
                    continue; // already forgotten: idempotent
                }
                if (pointLocks.state(manifest).isLockedAt(now)) {
                    keptLocked.add(id);
                    continue;
                }
                lease.verifyHeld();
                deleteManifest(id);
                forgotten++;
            }
            int extended = ctx.store().isVersioned() ? pointLocks.extendLocks(LockView.load(ctx)) : 0;
            lease.verifyHeld();
            var pruned = pruner().run(lease);
            int cycle = maintenance.readDataCycleDays();
            long today = now.getEpochSecond() / 86_400;
            var report = new Checker(ctx)
                    .checkReadingSample(pack -> cycle > 0 && sampleDay(pack, cycle) == Math.floorMod(today, cycle));
            return new MaintenanceResult(
                    pruned.bytesFreed(),
                    pruned.packsDeleted(),
                    pruned.packsRepacked(),
                    forgotten,
                    keptLocked,
                    extended,
                    report.packsRead(),
                    report.damage(),
                    report.unverified());
        }
    }

    /** The day (modulo {@code cycle}) on which maintenance reads a pack: a stable hash of its id. */
    static int sampleDay(ObjectId pack, int cycle) {
        var b = pack.toBytes();
        long value = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        return (int) (value % cycle);
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
