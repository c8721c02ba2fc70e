package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobVersion;
import io.cloudconnector.scalez.blob.LockMode;
import io.cloudconnector.scalez.blob.ObjectLockDefaults;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.LockOverride;
import io.cloudconnector.scalez.internal.LockView;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.OriginalVersions;
import io.cloudconnector.scalez.internal.PointRecord;
import io.cloudconnector.scalez.internal.References;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.model.ComplianceLockException;
import io.cloudconnector.scalez.model.MissingChunkException;
import io.cloudconnector.scalez.model.RecoveryPointLockedException;
import io.cloudconnector.scalez.pack.Pack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Object Lock for the {@link Repository} facade: a point's record (what it needs, at which versions, locked until
 * when), extending older objects' retention, legal holds, changing a point's lock, and re-extending what locked
 * points need. Every decision is taken from the engine's records and the bucket's default retention, never from
 * {@code GetObjectRetention}.
 */
final class PointLocks {

    /** Marker objects {@code holds/<rp-id>}: the point is under legal hold. */
    static final String HOLDS = "holds/";

    private final RepositoryContext ctx;

    PointLocks(RepositoryContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The record of a point about to be written (null in a store without versions): every index file and pack it
     * needs at its original version, and its lock end, {@code started + the bucket's default period} or
     * {@code ownRetention} if later. Every recorded version whose known retention ends before that is extended to
     * it plus a slack (a tenth of the period), so that the next backups referencing it need not extend it again.
     */
    @Nullable
    PointRecord record(Manifest manifest, Instant started, @Nullable Instant ownRetention) {
        var store = ctx.store();
        if (!store.isVersioned()) {
            return null;
        }
        Optional<ObjectLockDefaults> defaults = store.objectLockDefaults();
        Instant lockedUntil = defaults.map(d -> started.plus(d.period())).orElse(null);
        if (ownRetention != null && (lockedUntil == null || ownRetention.isAfter(lockedUntil))) {
            lockedUntil = ownRetention;
        }
        LockMode mode = defaults.map(ObjectLockDefaults::mode).orElse(lockedUntil == null ? null : LockMode.GOVERNANCE);
        var keys = neededKeys(manifest);
        var originals = originals(keys);
        var previous = previousRetention(manifest.summary().id());
        var slack = defaults.map(d -> d.period().dividedBy(10)).orElse(Duration.ZERO);
        var entries = new ArrayList<PointRecord.Entry>();
        for (var key : keys) {
            var v = originals.get(key);
            if (v == null) {
                throw new ScalezException("Cannot record " + key + ": it has no version in " + store.location());
            }
            Instant known = defaults.map(d -> v.lastModified().plus(d.period())).orElse(null);
            var before = previous.get(key + "#" + v.versionId());
            if (before != null && (known == null || before.isAfter(known))) {
                known = before;
            }
            if (lockedUntil != null && mode != null && (known == null || known.isBefore(lockedUntil))) {
                known = extend(key, v.versionId(), mode, lockedUntil.plus(slack));
            }
            entries.add(new PointRecord.Entry(key, v.versionId(), known));
        }
        return new PointRecord(lockedUntil, mode, entries);
    }

    /**
     * Extends one version's retention to {@code target} (never asking for a shortening on purpose). If the store
     * refuses because the version is already retained longer (by a point whose record this run did not read), that
     * longer date is what it now knows; any other refusal stops the operation.
     */
    private Instant extend(String key, String versionId, LockMode mode, Instant target) {
        try {
            ctx.store().putRetention(key, versionId, mode, target, false);
            return target;
        } catch (io.cloudconnector.scalez.blob.ObjectLockedException e) {
            var actual = ctx.store().retention(key, versionId);
            if (actual.isPresent() && !actual.get().isBefore(target)) {
                return actual.get();
            }
            throw e;
        }
    }

    /** After the manifest is written: a point whose own retention outlasts the default extends its manifest. */
    void extendManifest(String id, PointRecord record) {
        var until = record.lockedUntil();
        var mode = record.mode();
        if (until == null || mode == null) {
            return;
        }
        var v = original(Manifest.key(id));
        var defaults = ctx.store().objectLockDefaults();
        if (v != null
                && defaults.map(d -> v.lastModified().plus(d.period()).isBefore(until))
                        .orElse(true)) {
            extend(v.key(), v.versionId(), mode, until);
        }
    }

    /** The index files and packs a point reads, in key order. */
    private TreeSet<String> neededKeys(Manifest manifest) {
        var indexes = IndexSet.load(ctx);
        var loader = new ChunkLoader(ctx, indexes.index());
        var packs = new java.util.HashSet<ObjectId>();
        References.walk(loader, manifest, id -> {
            var location = indexes.index().find(id);
            if (location == null) {
                throw new MissingChunkException(id.hex());
            }
            packs.add(location.packId());
        });
        var fileOf = new HashMap<ObjectId, String>();
        for (var file : indexes.files().entrySet()) {
            for (var pack : file.getValue().packs()) {
                fileOf.putIfAbsent(pack.packId(), file.getKey());
            }
        }
        var keys = new TreeSet<String>();
        for (var pack : packs) {
            keys.add(Pack.key(pack));
            keys.add(java.util.Objects.requireNonNull(fileOf.get(pack)));
        }
        return keys;
    }

    private Map<String, BlobVersion> originals(TreeSet<String> keys) {
        var found = new HashMap<String, BlobVersion>();
        boolean anyPack = keys.stream().anyMatch(k -> k.startsWith("packs/"));
        for (var prefix : anyPack ? List.of("index/", "packs/") : List.of("index/")) {
            for (var v : OriginalVersions.originals(ctx.store(), prefix)) {
                if (keys.contains(v.key())) {
                    found.put(v.key(), v);
                }
            }
        }
        return found;
    }

    private @Nullable BlobVersion original(String key) {
        return OriginalVersions.originals(ctx.store(), key).stream()
                .filter(v -> v.key().equals(key))
                .findFirst()
                .orElse(null);
    }

    /** What the newest other point recorded about retention (key#version → until), to skip repeated extensions. */
    private Map<String, Instant> previousRetention(String except) {
        var result = new HashMap<String, Instant>();
        var snapshots = ctx.store().list("snapshots/");
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            var key = snapshots.get(i).key();
            var id = key.substring("snapshots/".length());
            if (id.equals(except)) {
                continue;
            }
            try {
                var record = Manifest.open(id, ctx.store().get(key), ctx.aead()).record();
                if (record != null) {
                    for (var e : record.objects()) {
                        if (e.retainUntil() != null) {
                            result.put(e.key() + "#" + e.versionId(), e.retainUntil());
                        }
                    }
                }
            } catch (ScalezException e) {
                // unreadable or forgotten: extend as if it did not exist
            }
            break;
        }
        return result;
    }

    // --- state, forget, holds, lock changes --------------------------------------------------------------

    RecoveryPointLock state(Manifest manifest) {
        var id = manifest.summary().id();
        var record = manifest.record();
        return new RecoveryPointLock(
                id,
                LockView.effectiveLockedUntil(ctx, id, record),
                record == null ? null : record.mode(),
                isHeld(id),
                record == null ? 0 : record.objects().size());
    }

    boolean isHeld(String id) {
        return ctx.store().stat(HOLDS + id).isPresent();
    }

    /** Throws if Object Lock still protects the point at the context's clock. */
    void requireForgettable(Manifest manifest) {
        var state = state(manifest);
        var now = ctx.clock().instant();
        if (state.legalHold()) {
            throw new RecoveryPointLockedException(
                    state.recoveryPointId(),
                    state.lockedUntil(),
                    true,
                    "Recovery point " + state.recoveryPointId() + " is under legal hold");
        }
        var until = state.lockedUntil();
        if (until != null && until.isAfter(now)) {
            throw new RecoveryPointLockedException(
                    state.recoveryPointId(),
                    until,
                    false,
                    "Recovery point " + state.recoveryPointId() + " is locked until " + until);
        }
    }

    /** Every object version a point needs: its record's, and its manifest's original version. */
    private List<PointRecord.Entry> objectsOf(Manifest manifest) {
        var record = requireRecord(manifest);
        var objects = new ArrayList<>(record.objects());
        var m = original(Manifest.key(manifest.summary().id()));
        if (m != null) {
            objects.add(new PointRecord.Entry(m.key(), m.versionId(), null));
        }
        return objects;
    }

    private static PointRecord requireRecord(Manifest manifest) {
        var record = manifest.record();
        if (record == null) {
            throw new ScalezException("Recovery point " + manifest.summary().id()
                    + " records no object versions (written into a store without versioning, or by an older engine)");
        }
        return record;
    }

    /**
     * Puts or removes a legal hold on every object version the point needs. On: the marker first (the engine
     * protects the point at once), then S3's holds; off: S3's holds (except on versions another held point needs),
     * then the marker. Idempotent; a run killed midway is completed by running it again.
     */
    int legalHold(Manifest manifest, boolean on) {
        var id = manifest.summary().id();
        var objects = objectsOf(manifest);
        if (on) {
            ctx.store()
                    .putIfAbsent(
                            HOLDS + id,
                            ("legal hold on " + id + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (var e : objects) {
                ctx.store().putLegalHold(e.key(), e.versionId(), true);
            }
            return objects.size();
        }
        var view = LockView.load(ctx);
        int changed = 0;
        for (var e : objects) {
            if (!heldByAnother(view, id, e)) {
                ctx.store().putLegalHold(e.key(), e.versionId(), false);
                changed++;
            }
        }
        ctx.store().delete(HOLDS + id);
        return changed;
    }

    private static boolean heldByAnother(LockView view, String id, PointRecord.Entry e) {
        for (var other : view.manifests().entrySet()) {
            if (other.getKey().equals(id) || !view.isHeld(other.getKey())) {
                continue;
            }
            var record = other.getValue().record();
            var found = record == null ? null : record.find(e.key());
            if (found != null && found.versionId().equals(e.versionId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves a point's lock end. Later: every version it needs is extended (no bypass needed). Earlier (shortening,
     * or lifting with a time not after now): refused in compliance mode; in governance mode only with
     * {@code bypassGovernance}, and each version is shortened no further than what another locked or held point
     * needs. The new end is stored first ({@code retention/<rp-id>}), so a run killed midway is completed by
     * running it again.
     */
    Instant changeLock(Manifest manifest, Instant newUntil, boolean bypassGovernance) {
        var id = manifest.summary().id();
        var record = requireRecord(manifest);
        var mode = record.mode();
        var current = LockView.effectiveLockedUntil(ctx, id, record);
        if (mode == null || current == null) {
            throw new ScalezException("Recovery point " + id + " has no Object Lock");
        }
        var now = ctx.clock().instant();
        boolean shorten = newUntil.isBefore(current);
        if (shorten && current.isAfter(now)) {
            if (mode == LockMode.COMPLIANCE) {
                throw new ComplianceLockException(id, current);
            }
            if (!bypassGovernance) {
                throw new RecoveryPointLockedException(
                        id,
                        current,
                        false,
                        "Shortening the governance lock of " + id + " (until " + current + ") needs bypassGovernance");
            }
        }
        if (shorten) {
            // The engine's notion first: a run killed midway has already stopped counting the old end.
            ctx.store().put(LockOverride.key(id), LockOverride.seal(id, newUntil, ctx.aead()));
        }
        var view = LockView.load(ctx);
        var versions = versionsOf(objectsOf(manifest));
        // S3 refuses a retain-until date in the past: a lifted lock ends a minute from now.
        var floor = now.plus(Duration.ofMinutes(1));
        for (var e : objectsOf(manifest)) {
            var v = versions.get(e.key() + "#" + e.versionId());
            var known = v == null ? e.retainUntil() : view.knownRetention(v);
            if (!shorten) {
                if (known == null || known.isBefore(newUntil)) {
                    extend(e.key(), e.versionId(), mode, newUntil);
                }
                continue;
            }
            var target = newUntil.isBefore(floor) ? floor : newUntil;
            var others = view.latestLockOfOthers(id, e.key(), e.versionId());
            if (others != null && others.isAfter(target)) {
                continue; // another point keeps it at least as long as it is now
            }
            ctx.store().putRetention(e.key(), e.versionId(), mode, target, true);
        }
        if (!shorten) {
            // Only once every object holds the new end, so that what the override claims is true.
            ctx.store().put(LockOverride.key(id), LockOverride.seal(id, newUntil, ctx.aead()));
        }
        return newUntil;
    }

    /**
     * Re-extends every version a locked point needs whose known retention ends before the point's lock (after a
     * lock was extended and the run that extended it died, or a record older than the engine's extensions).
     * Returns how many versions it extended.
     */
    int extendLocks(LockView view) {
        var now = ctx.clock().instant();
        var versions = new HashMap<String, BlobVersion>();
        for (var prefix : List.of("index/", "packs/", "snapshots/")) {
            for (var v : ctx.store().listVersions(prefix)) {
                versions.put(v.key() + "#" + v.versionId(), v);
            }
        }
        int extended = 0;
        for (var entry : view.manifests().entrySet()) {
            var id = entry.getKey();
            var until = view.lockedUntil(id);
            var record = entry.getValue().record();
            if (record == null || until == null || !until.isAfter(now) || record.mode() == null) {
                continue;
            }
            for (var e : objectsOf(entry.getValue())) {
                var v = versions.get(e.key() + "#" + e.versionId());
                if (v == null) {
                    continue; // check reports a missing version
                }
                var known = view.knownRetention(v);
                if (e.key().startsWith("snapshots/")) {
                    // The backup extended its manifest to the point's lock right after writing it, and a lock
                    // change extends it before storing the new end.
                    known = latest(known, latest(until, record.lockedUntil()));
                }
                if (known == null || known.isBefore(until)) {
                    extend(e.key(), e.versionId(), record.mode(), until);
                    extended++;
                }
            }
        }
        return extended;
    }

    private static @Nullable Instant latest(@Nullable Instant a, @Nullable Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private Map<String, BlobVersion> versionsOf(List<PointRecord.Entry> objects) {
        var prefixes = new LinkedHashMap<String, Boolean>();
        for (var e : objects) {
            prefixes.put(e.key().substring(0, e.key().indexOf('/') + 1), true);
        }
        var result = new HashMap<String, BlobVersion>();
        for (var prefix : prefixes.keySet()) {
            for (var v : ctx.store().listVersions(prefix)) {
                result.put(v.key() + "#" + v.versionId(), v);
            }
        }
        return result;
    }
}
