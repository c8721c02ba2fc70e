package io.cloudconnector.scalez.repo.lock;

import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.BlobStoreException;
import io.cloudconnector.scalez.model.RecoveryPointIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Locks as objects {@code locks/<ulid>} holding {@code kind}, {@code owner}, {@code purpose} and {@code expires}.
 * To lock: write one's own lock, then list; if a conflicting unexpired lock exists, delete one's own, back off
 * and retry (two contenders may both back off, never both win: listing is strongly consistent on S3 and
 * on a local disk). Held locks are rewritten with a new expiry every third of the TTL; a lock whose owner
 * died (kill -9) expires after the TTL and is then ignored and removed.
 */
public final class BlobStoreLocks implements RepositoryLocks {

    private static final String PREFIX = "locks/";

    private final BlobStore store;
    private final Clock clock;
    private final Duration ttl;
    private final Duration wait;

    public BlobStoreLocks(BlobStore store, Clock clock, Duration ttl, Duration wait) {
        this.store = store;
        this.clock = clock;
        this.ttl = ttl;
        this.wait = wait;
    }

    @Override
    public Lease lockShared(String purpose) {
        return lock("shared", purpose);
    }

    @Override
    public Lease lockExclusive(String purpose) {
        return lock("exclusive", purpose);
    }

    /** A parsed lock object. */
    record LockInfo(String key, String kind, String owner, String purpose, Instant expires) {}

    private Lease lock(String kind, String purpose) {
        var pauses = new LockWait(clock, wait, store.location().toString());
        while (true) {
            var key = PREFIX + RecoveryPointIds.next(clock).substring(3);
            store.put(key, content(kind, purpose));
            var conflict = conflict(key, kind);
            if (conflict == null) {
                return new BlobLease(key, kind, purpose);
            }
            store.delete(key);
            pauses.pause(() -> new LockedException("Repository " + store.location() + " is locked ("
                    + conflict.kind() + ", " + conflict.purpose() + ", by " + conflict.owner() + ", until "
                    + conflict.expires() + ")"));
        }
    }

    private @Nullable LockInfo conflict(String mine, String kind) {
        var now = clock.instant();
        for (var info : store.list(PREFIX)) {
            if (info.key().equals(mine)) {
                continue;
            }
            var lock = read(info.key());
            if (lock == null) {
                continue;
            }
            if (lock.expires().isBefore(now)) {
                store.delete(lock.key());
                continue;
            }
            if (kind.equals("exclusive") || lock.kind().equals("exclusive")) {
                return lock;
            }
        }
        return null;
    }

    /** Every lock object that parses, expired or not. */
    java.util.List<LockInfo> locks() {
        var out = new java.util.ArrayList<LockInfo>();
        for (var info : store.list(PREFIX)) {
            var lock = read(info.key());
            if (lock != null) {
                out.add(lock);
            }
        }
        return out;
    }

    private @Nullable LockInfo read(String key) {
        try {
            var fields = new LinkedHashMap<String, String>();
            for (var line : new String(store.get(key), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new LockInfo(
                    key,
                    fields.getOrDefault("kind", "exclusive"),
                    fields.getOrDefault("owner", "?"),
                    fields.getOrDefault("purpose", "?"),
                    Instant.parse(fields.getOrDefault("expires", "")));
        } catch (io.cloudconnector.scalez.blob.BlobNotFoundException e) {
            return null; // released between list and get
        } catch (DateTimeParseException e) {
            // A damaged lock counts as held until its object is older than the TTL.
            var stat = store.stat(key);
            return stat.map(s -> new LockInfo(
                            key,
                            "exclusive",
                            "unreadable lock",
                            "?",
                            s.lastModified().plus(ttl)))
                    .orElse(null);
        }
    }

    private byte[] content(String kind, String purpose) {
        return ("scalez-lock 1\nkind=" + kind + "\nowner=" + LockLeases.owner() + "\npurpose=" + purpose + "\nexpires="
                        + clock.instant().plus(ttl) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private final class BlobLease implements Lease {

        private final String key;
        private final String kind;
        private final String purpose;
        private final ScheduledExecutorService refresher;
        private volatile Instant validUntil;
        private volatile boolean closed;

        BlobLease(String key, String kind, String purpose) {
            this.key = key;
            this.kind = kind;
            this.purpose = purpose;
            this.validUntil = clock.instant().plus(ttl);
            this.refresher = LockLeases.refreshing(ttl, this::refresh);
        }

        private void refresh() {
            if (closed) {
                return;
            }
            try {
                var expires = clock.instant().plus(ttl);
                store.put(key, content(kind, purpose));
                validUntil = expires;
            } catch (BlobStoreException e) {
                // Try again next period; verifyHeld fails once the old expiry passes.
            }
        }

        @Override
        public void verifyHeld() {
            if (closed || clock.instant().isAfter(validUntil) || store.stat(key).isEmpty()) {
                throw new LockedException("Lost the " + kind + " lock " + key + " on " + store.location()
                        + " (it expired or was removed)");
            }
        }

        @Override
        public void close() {
            closed = true;
            refresher.shutdownNow();
            store.delete(key);
        }
    }
}
