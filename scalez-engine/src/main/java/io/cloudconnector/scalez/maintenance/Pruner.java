package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobInfo;
import io.cloudconnector.scalez.blob.BlobVersion;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.ChunkSaver;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.LockView;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.References;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.model.MissingChunkException;
import io.cloudconnector.scalez.pack.Pack;
import io.cloudconnector.scalez.pack.PackBuilder;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.pack.PackHeader;
import io.cloudconnector.scalez.repo.lock.LockedException;
import io.cloudconnector.scalez.repo.lock.RepositoryLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Garbage collection under the exclusive lock: marks every chunk the recovery points need, deletes packs
 * that hold none, repacks packs that are mostly garbage (and small packs) by copying their live sealed blobs
 * verbatim, writes index files for what remains, then deletes old index files and packs, in that order.
 * Nothing is deleted if any manifest or index cannot be read, if a needed chunk is missing, or if a
 * recovery point appeared meanwhile (a writer that ignored the lock). Packs in no index are deleted only
 * once older than the grace period, in case a writer lost its lock without noticing, unless an earlier prune's
 * {@link PrunePlan} names them: that prune was killed between deleting the index files and the packs.
 */
public final class Pruner {

    private final RepositoryContext ctx;
    private final Duration orphanGrace;
    private final @org.jspecify.annotations.Nullable LockView locks;

    public Pruner(RepositoryContext ctx, Duration orphanGrace) {
        this(ctx, orphanGrace, null);
    }

    /**
     * A pruner for a versioned store: {@code locks} says which object versions are retained or needed by locked or
     * held points; those are never deleted (nor their packs repacked), and a deleted key loses every version that
     * is not retained (a delete marker hides those that are, until a later run).
     */
    public Pruner(RepositoryContext ctx, Duration orphanGrace, @org.jspecify.annotations.Nullable LockView locks) {
        this.ctx = ctx;
        this.orphanGrace = orphanGrace;
        this.locks = locks;
    }

    private boolean isProtected(String key) {
        return locks != null && locks.isNeeded(key);
    }

    public PruneResult run(RepositoryLocks.Lease lease) {
        var store = ctx.store();
        var snapshotKeys = snapshotKeys();
        var indexes = IndexSet.load(ctx);
        if (!indexes.damaged().isEmpty()) {
            throw new ScalezException("Cannot prune: " + indexes.damaged().getFirst() + " (run check)");
        }
        var plans = PrunePlan.load(ctx);
        var planned = new HashSet<ObjectId>();
        plans.values().forEach(plan -> planned.addAll(plan.packs()));
        var loader = new ChunkLoader(ctx, indexes.index());
        var used = new HashSet<ObjectId>();
        for (var key : snapshotKeys) {
            Manifest manifest;
            try {
                manifest = Manifest.open(key.substring("snapshots/".length()), store.get(key), ctx.aead());
            } catch (ScalezException e) {
                throw new ScalezException("Cannot prune: manifest " + key + " is unreadable: " + e.getMessage(), e);
            }
            try {
                References.walk(loader, manifest, id -> {
                    if (!indexes.index().contains(id)) {
                        throw new MissingChunkException(id.hex());
                    }
                    used.add(id);
                });
            } catch (ScalezException e) {
                throw new ScalezException(
                        "Cannot prune: recovery point " + key + " cannot be read completely: " + e.getMessage()
                                + " (run check)",
                        e);
            }
        }
        Map<ObjectId, BlobInfo> stored = new HashMap<>();
        for (var info : store.list("packs/")) {
            var id = PackFiles.idOf(info.key());
            if (id != null) {
                stored.put(id, info);
            }
        }
        var keep = new ArrayList<PackContents>();
        var delete = new ArrayList<ObjectId>();
        var repack = new ArrayList<PackContents>();
        var small = new ArrayList<PackContents>();
        int packSize = ctx.config().settings().packSize();
        for (var pack : indexes.packs().values()) {
            long total = 0;
            long live = 0;
            for (var e : pack.entries()) {
                total += e.length();
                if (isLive(indexes, used, pack.packId(), e)) {
                    live += e.length();
                }
            }
            if (!stored.containsKey(pack.packId())) {
                if (live > 0) {
                    throw new ScalezException(
                            "Cannot prune: pack " + Pack.key(pack.packId()) + " is missing but holds needed chunks");
                }
                continue;
            }
            if (isProtected(Pack.key(pack.packId()))) {
                keep.add(pack); // a locked or held point reads this very version
            } else if (live == 0) {
                delete.add(pack.packId());
            } else if (live < total / 2) {
                repack.add(pack);
            } else if (total < packSize / 4) {
                small.add(pack);
            } else {
                keep.add(pack);
            }
        }
        if (small.size() > 1) {
            repack.addAll(small);
        } else {
            keep.addAll(small);
        }
        var repackPlans = new ArrayList<String>();
        var written = repack(repack, indexes, used, repackPlans);
        var orphans = new ArrayList<ObjectId>();
        var cutoff = ctx.clock().instant().minus(orphanGrace);
        for (var entry : stored.entrySet()) {
            // A pack an earlier prune planned to delete and that is still in no index goes at once: that prune
            // was killed after deleting the index files that listed it. Other packs in no index wait out the grace.
            if (!indexes.packs().containsKey(entry.getKey())
                    && (entry.getValue().lastModified().isBefore(cutoff) || planned.contains(entry.getKey()))
                    && !isProtected(Pack.key(entry.getKey()))) {
                orphans.add(entry.getKey());
            }
        }
        var newIndex = new ArrayList<PackContents>(keep);
        newIndex.addAll(written);
        if (!snapshotKeys.equals(snapshotKeys())) {
            throw new LockedException(
                    "A recovery point was written during prune although prune holds the exclusive lock;"
                            + " nothing was deleted");
        }
        lease.verifyHeld();
        List<String> indexKeys = ChunkSaver.writeIndexes(ctx, newIndex);
        var gone = new ArrayList<ObjectId>(delete);
        repack.forEach(p -> gone.add(p.packId()));
        gone.addAll(orphans);
        var planKeys = new ArrayList<String>(plans.keySet());
        planKeys.addAll(repackPlans);
        if (!gone.isEmpty()) {
            lease.verifyHeld();
            planKeys.add(new PrunePlan(gone).write(ctx));
        }
        var versions = locks == null ? null : versionsByKey();
        int replaced = 0;
        long freed = 0;
        int retained = 0;
        for (var key : indexes.files().keySet()) {
            if (!indexKeys.contains(key) && !isProtected(key)) {
                if (versions != null) {
                    var d = java.util.Objects.requireNonNull(locks)
                            .deleteKey(ctx, key, versions.getOrDefault(key, List.of()));
                    freed += d.bytes();
                    retained += d.versionsKept();
                } else {
                    store.delete(key);
                }
                replaced++;
            }
        }
        for (var id : gone) {
            var key = Pack.key(id);
            if (versions != null) {
                var d = java.util.Objects.requireNonNull(locks)
                        .deleteKey(ctx, key, versions.getOrDefault(key, List.of()));
                freed += d.bytes();
                retained += d.versionsKept();
            } else {
                store.delete(key);
                freed += java.util.Objects.requireNonNull(stored.get(id)).size();
            }
        }
        // Every pack the plans named is gone or listed by an index again (adopted by a backup): the plans are done.
        planKeys.stream().distinct().forEach(store::delete);
        for (var p : written) {
            freed -= PackHeader.packLength(p.entries(), io.cloudconnector.scalez.crypto.Aead.OVERHEAD);
        }
        if (versions != null) {
            var goneKeys = new java.util.HashSet<String>();
            gone.forEach(g -> goneKeys.add(Pack.key(g)));
            var live = new java.util.HashSet<String>();
            newIndex.forEach(p -> live.add(Pack.key(p.packId())));
            live.addAll(indexKeys);
            for (var entry : versions.entrySet()) {
                var all = entry.getValue();
                var key = entry.getKey();
                // Keys hidden by a delete marker (forgotten manifests, holds, overrides; what an earlier run had to
                // keep): their versions go once nothing retains them. Never what a live point or index reads.
                if (all.isEmpty()
                        || !all.getFirst().deleteMarker()
                        || !all.getFirst().latest()
                        || live.contains(key)
                        || java.util.Objects.requireNonNull(locks).isRecorded(key)
                        || goneKeys.contains(key)) {
                    continue;
                }
                var d = java.util.Objects.requireNonNull(locks).deleteKey(ctx, key, all);
                freed += d.bytes();
                retained += d.versionsKept();
            }
        }
        return new PruneResult(
                delete.size() + orphans.size(), repack.size(), written.size(), replaced, freed, retained);
    }

    private Map<String, List<BlobVersion>> versionsByKey() {
        var result = new java.util.LinkedHashMap<String, List<BlobVersion>>();
        for (var prefix : List.of("packs/", "index/", "snapshots/", "holds/", "retention/", PrunePlan.PREFIX)) {
            for (var v : ctx.store().listVersions(prefix)) {
                result.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v);
            }
        }
        return result;
    }

    private static boolean isLive(IndexSet indexes, Set<ObjectId> used, ObjectId packId, PackEntry e) {
        if (!used.contains(e.id())) {
            return false;
        }
        var location = indexes.index().find(e.id());
        // A chunk stored twice (two concurrent backups) lives only where the index points.
        return location != null && location.packId().equals(packId);
    }

    private List<PackContents> repack(
            List<PackContents> packs, IndexSet indexes, Set<ObjectId> used, List<String> plans) {
        var written = new ArrayList<PackContents>();
        var loader = new ChunkLoader(ctx, indexes.index());
        int packSize = ctx.config().settings().packSize();
        var builder = new PackBuilder(packSize + 1024 * 1024);
        for (var pack : packs) {
            var key = Pack.key(pack.packId());
            var bytes = ctx.readAddressed(key, pack.packId());
            for (var e : pack.entries()) {
                if (!isLive(indexes, used, pack.packId(), e)) {
                    continue;
                }
                // Verify before copying, so that repacking never spreads a damaged blob.
                loader.openVerified(key, e, bytes, (int) e.offset());
                var sealed = java.util.Arrays.copyOfRange(bytes, (int) e.offset(), (int) e.offset() + e.length());
                builder.add(e.id(), e.type(), e.codec(), e.rawLength(), sealed);
                if (builder.size() >= packSize) {
                    written.add(upload(builder, plans));
                    builder = new PackBuilder(packSize + 1024 * 1024);
                }
            }
        }
        if (!builder.isEmpty()) {
            written.add(upload(builder, plans));
        }
        return written;
    }

    /**
     * Stores a repacked pack, named first in a plan of its own (its key added to {@code plans}): a prune killed
     * before its new index lists the pack leaves it in no index, and the next prune deletes it at once instead of
     * after the orphan grace (storage format §9). Once an index lists it, the plan no longer applies to it.
     */
    private PackContents upload(PackBuilder builder, List<String> plans) {
        var pack = builder.finish(header -> ctx.aead().seal(header, PackHeader.AAD));
        plans.add(new PrunePlan(List.of(pack.id())).write(ctx));
        ctx.store().putIfAbsent(pack.key(), pack.bytes());
        return new PackContents(pack.id(), pack.entries());
    }

    private TreeSet<String> snapshotKeys() {
        var keys = new TreeSet<String>();
        ctx.store().list("snapshots/").forEach(i -> keys.add(i.key()));
        return keys;
    }
}
