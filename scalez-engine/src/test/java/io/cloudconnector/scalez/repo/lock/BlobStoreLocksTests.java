package io.cloudconnector.scalez.repo.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lock contract for {@link BlobStoreLocks}: lock objects under {@code locks/} of the repository's own store. */
class BlobStoreLocksTests extends RepositoryLocksContractTests {

    @Override
    RepositoryLocks locks(Clock clock, Duration ttl, Duration wait) {
        return new BlobStoreLocks(store, clock, ttl, wait);
    }

    @Override
    int lockRecords() {
        return store.list("locks/").size();
    }

    @Override
    void deleteLockRecords() {
        store.list("locks/").forEach(i -> store.delete(i.key()));
    }

    @Override
    String where() {
        return store.location().toString();
    }

    @Test
    void theExpiredObjectOfADeadProcessIsDeletedByTheNextLocker() {
        var dead = locks().lockExclusive("prune");
        clock.advance(TTL.plusMinutes(1));
        try (var lease = locks().lockShared("backup")) {
            assertThat(lockRecords()).isEqualTo(1);
            lease.verifyHeld();
        }
        dead.close();
        assertThat(lockRecords()).isZero();
    }
}
