package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.remote.RemoteWriter;
import io.cloudconnector.scalez.repo.lock.RepositoryLocks;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How this process works with a repository (not stored in it): clock, worker threads, lock TTL and wait,
 * how old a pack in no index must be before prune deletes it, the lock implementation (null: lock
 * objects in the repository's own store), and the remote writer backups hand their blobs to when it answers
 * (null: backups always write their own packs).
 */
public record RepositoryOptions(
        Clock clock,
        int workers,
        Duration lockTtl,
        Duration lockWait,
        Duration orphanGrace,
        @Nullable RepositoryLocks locks,
        @Nullable RemoteWriter remoteWriter) {

    /** The options as they were before remote writers existed: no remote writer. */
    public RepositoryOptions(
            Clock clock,
            int workers,
            Duration lockTtl,
            Duration lockWait,
            Duration orphanGrace,
            @Nullable RepositoryLocks locks) {
        this(clock, workers, lockTtl, lockWait, orphanGrace, locks, null);
    }

    /** System clock, one worker per core, 10-minute lock TTL, 30 s lock wait, 1 h grace. */
    public static RepositoryOptions defaults() {
        return new RepositoryOptions(
                Clock.systemUTC(),
                Runtime.getRuntime().availableProcessors(),
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                null,
                null);
    }

    /** With another clock. */
    public RepositoryOptions withClock(Clock c) {
        return new RepositoryOptions(c, workers, lockTtl, lockWait, orphanGrace, locks, remoteWriter);
    }

    /** With another number of worker threads. */
    public RepositoryOptions withWorkers(int n) {
        return new RepositoryOptions(clock, n, lockTtl, lockWait, orphanGrace, locks, remoteWriter);
    }

    /** With another lock wait. */
    public RepositoryOptions withLockWait(Duration wait) {
        return new RepositoryOptions(clock, workers, lockTtl, wait, orphanGrace, locks, remoteWriter);
    }

    /** With another lock TTL. */
    public RepositoryOptions withLockTtl(Duration ttl) {
        return new RepositoryOptions(clock, workers, ttl, lockWait, orphanGrace, locks, remoteWriter);
    }

    /** With another grace period for packs in no index. */
    public RepositoryOptions withOrphanGrace(Duration grace) {
        return new RepositoryOptions(clock, workers, lockTtl, lockWait, grace, locks, remoteWriter);
    }

    /** With another lock implementation, e.g. DynamoDB leases. */
    public RepositoryOptions withLocks(RepositoryLocks l) {
        return new RepositoryOptions(clock, workers, lockTtl, lockWait, orphanGrace, l, remoteWriter);
    }

    /**
     * With a remote writer (a ScaleZ server, see {@code io.cloudconnector.scalez.serve.ScalezServers}): each
     * backup opens a session on it and sends only the chunks it lacks; when none answers the backup writes its
     * own packs, with the same result.
     */
    public RepositoryOptions withRemoteWriter(RemoteWriter writer) {
        return new RepositoryOptions(clock, workers, lockTtl, lockWait, orphanGrace, locks, writer);
    }
}
