package io.cloudconnector.scalez.repo.lock;

/**
 * Repository locking: shared for writers (backup, forget, check), exclusive for prune. {@link BlobStoreLocks}
 * keeps lock objects under {@code locks/}; a DynamoDB lease table can implement the same interface.
 */
public interface RepositoryLocks {

    /** Takes a shared lock, waiting while an exclusive one is held; {@link LockedException} when waiting ends. */
    Lease lockShared(String purpose);

    /** Takes an exclusive lock, waiting while any other lock is held; {@link LockedException} when waiting ends. */
    Lease lockExclusive(String purpose);

    /** A held lock, refreshed in the background until closed. */
    interface Lease extends AutoCloseable {

        /** Fails with {@link LockedException} if the lock expired or vanished, before a write that needs it. */
        void verifyHeld();

        /** Releases the lock. */
        @Override
        void close();
    }
}
