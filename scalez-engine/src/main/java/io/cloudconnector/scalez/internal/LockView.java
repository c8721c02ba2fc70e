package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.blob.BlobVersion;
import io.cloudconnector.scalez.blob.ObjectLockDefaults;
import io.cloudconnector.scalez.blob.ObjectLockedException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What Object Lock protects in a repository, from the engine's own records only (never {@code GetObjectRetention}):
 * every live point's effective lock end (its record's {@code lockedUntil}, or the newest {@code retention/} override
 * version that the engine sealed),
 * the points under legal hold ({@code holds/<rp-id>}), and for every recorded object version the latest retention
 * the engine set or knows. A version is <em>retained</em> while the bucket default (its write time + the default
 * period) or a recorded retention has not ended, or while a locked or held point needs it.
 */
public final class LockView {

    private final Instant now;
    private final Optional<ObjectLockDefaults> defaults;
    private final Map<String, Manifest> manifests;
    private final Map<String, @Nullable Instant> lockedUntil = new HashMap<>();
    private final Set<String> held;
    private final Map<String, Instant> recordedRetention = new HashMap<>();
    private final Set<String> needed = new HashSet<>();
    private final Set<String> recordedKeys = new HashSet<>();
    private final Set<String> neededKeys = new HashSet<>();

    private LockView(RepositoryContext ctx, Map<String, Manifest> manifests, Set<String> held) {
        this.now = ctx.clock().instant();
        this.defaults = ctx.store().isVersioned() ? ctx.store().objectLockDefaults() : Optional.empty();
        this.manifests = manifests;
        this.held = held;
        for (var entry : manifests.entrySet()) {
            var id = entry.getKey();
            var record = entry.getValue().record();
            var until = effectiveLockedUntil(ctx, id, record);
            lockedUntil.put(id, until);
            if (record == null) {
                continue;
            }
            boolean protectedPoint = held.contains(id) || (until != null && until.isAfter(now));
            // A lock shortened under governance caps what this point's record says it set.
            var cap = until != null && record.lockedUntil() != null && until.isBefore(record.lockedUntil())
                    ? until
                    : null;
            for (var e : record.objects()) {
                var versionKey = e.key() + "#" + e.versionId();
                recordedKeys.add(e.key());
                var retain = e.retainUntil();
                if (retain != null && cap != null && retain.isAfter(cap)) {
                    retain = cap;
                }
                // A lock extended later: the extension set every object of the point to at least the new end
                // before the override was written.
                if (until != null
                        && record.lockedUntil() != null
                        && until.isAfter(record.lockedUntil())
                        && (retain == null || until.isAfter(retain))) {
                    retain = until;
                }
                if (retain != null) {
                    recordedRetention.merge(versionKey, retain, (a, b) -> a.isAfter(b) ? a : b);
                }
                if (protectedPoint) {
                    needed.add(versionKey);
                    neededKeys.add(e.key());
                }
            }
        }
    }

    /** Reads every manifest, override and hold marker. A manifest that cannot be read stops it (run check). */
    public static LockView load(RepositoryContext ctx) {
        var manifests = new HashMap<String, Manifest>();
        for (var info : ctx.store().list("snapshots/")) {
            var id = info.key().substring("snapshots/".length());
            try {
                manifests.put(id, Manifest.open(id, ctx.store().get(info.key()), ctx.aead()));
            } catch (BlobNotFoundException e) {
                // forgotten meanwhile
            } catch (ScalezException e) {
                throw new ScalezException("Cannot read manifest " + info.key() + ": " + e.getMessage(), e);
            }
        }
        var held = new HashSet<String>();
        ctx.store().list("holds/").forEach(i -> held.add(i.key().substring("holds/".length())));
        return new LockView(ctx, manifests, held);
    }

    /** A point's lock end: its override if one is stored, else its record's; null if it has none. */
    public static @Nullable Instant effectiveLockedUntil(
            RepositoryContext ctx, String id, @Nullable PointRecord record) {
        if (record == null) {
            return null;
        }
        var key = LockOverride.key(id);
        try {
            return LockOverride.open(id, ctx.store().get(key), ctx.aead());
        } catch (BlobNotFoundException
                | io.cloudconnector.scalez.FormatException
                | io.cloudconnector.scalez.crypto.DecryptionException e) {
            // Someone else's delete marker or overwrite hides nothing: the newest version the engine sealed counts.
            for (var v : ctx.store().listVersions(key)) {
                if (!v.key().equals(key) || v.deleteMarker()) {
                    continue;
                }
                try {
                    return LockOverride.open(id, ctx.store().getVersion(key, v.versionId()), ctx.aead());
                } catch (io.cloudconnector.scalez.FormatException
                        | io.cloudconnector.scalez.crypto.DecryptionException notOurs) {
                    // keep looking
                }
            }
            return record.lockedUntil();
        }
    }

    public Map<String, Manifest> manifests() {
        return manifests;
    }

    public Optional<ObjectLockDefaults> defaults() {
        return defaults;
    }

    public @Nullable Instant lockedUntil(String id) {
        return lockedUntil.get(id);
    }

    public boolean isHeld(String id) {
        return held.contains(id);
    }

    /** Whether a locked or held point needs this version. */
    public boolean isNeeded(String key, String versionId) {
        return needed.contains(key + "#" + versionId);
    }

    /** Whether any live point (locked or not) records a version of {@code key}. */
    public boolean isRecorded(String key) {
        return recordedKeys.contains(key);
    }

    /** The lock end of every other live point that records this version (for shortening one point's lock). */
    public @Nullable Instant latestLockOfOthers(String exceptId, String key, String versionId) {
        Instant latest = null;
        for (var entry : manifests.entrySet()) {
            if (entry.getKey().equals(exceptId) || entry.getValue().record() == null) {
                continue;
            }
            var e = entry.getValue().record().find(key);
            if (e == null || !e.versionId().equals(versionId)) {
                continue;
            }
            var until = held.contains(entry.getKey()) ? Instant.MAX : lockedUntil.get(entry.getKey());
            if (until != null && (latest == null || until.isAfter(latest))) {
                latest = until;
            }
        }
        return latest;
    }

    /** Whether a locked or held point needs some version of {@code key}. */
    public boolean isNeeded(String key) {
        return neededKeys.contains(key);
    }

    /** The latest retention known for a version: the bucket default from its write time, or a recorded one. */
    public @Nullable Instant knownRetention(BlobVersion v) {
        Instant floor = defaults.map(d -> v.lastModified().plus(d.period())).orElse(null);
        var recorded = recordedRetention.get(v.key() + "#" + v.versionId());
        if (floor == null) {
            return recorded;
        }
        return recorded != null && recorded.isAfter(floor) ? recorded : floor;
    }

    /** Whether the engine must not (and S3 would not) delete this version now. */
    public boolean isRetained(BlobVersion v) {
        if (v.deleteMarker()) {
            return false;
        }
        if (isNeeded(v.key(), v.versionId())) {
            return true;
        }
        var until = knownRetention(v);
        return until != null && until.isAfter(now);
    }

    /** The result of {@link #deleteKey}: bytes whose versions were deleted, and versions kept because retained. */
    public record Deleted(long bytes, int versionsKept) {}

    /**
     * Deletes a key for good in a versioned store: every version and delete marker that is not retained; if a
     * retained version remains, a delete marker hides it until a later run can delete it. A refusal by the store
     * (its lock outlasting what the engine knows) keeps the version too.
     */
    public Deleted deleteKey(RepositoryContext ctx, String key, List<BlobVersion> versions) {
        long bytes = 0;
        int kept = 0;
        var mine = versions.stream().filter(v -> v.key().equals(key)).toList();
        boolean hiddenAlready = !mine.isEmpty()
                && mine.getFirst().deleteMarker()
                && mine.getFirst().latest();
        for (var v : mine) {
            if (v.deleteMarker()) {
                continue; // markers go last, once nothing needs hiding
            }
            if (isRetained(v)) {
                kept++;
                continue;
            }
            try {
                ctx.store().deleteVersion(key, v.versionId(), false);
                bytes += v.size();
            } catch (ObjectLockedException e) {
                kept++;
            }
        }
        if (kept > 0) {
            if (!hiddenAlready) {
                ctx.store().delete(key); // a delete marker over what must stay
            }
        } else {
            for (var v : mine) {
                if (v.deleteMarker()) {
                    ctx.store().deleteVersion(key, v.versionId(), false);
                }
            }
        }
        return new Deleted(bytes, kept);
    }
}
