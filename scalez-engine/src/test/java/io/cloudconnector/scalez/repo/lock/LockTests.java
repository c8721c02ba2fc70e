package io.cloudconnector.scalez.repo.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.TestRepositories;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockTests {

    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private final MutableClock clock = new MutableClock(TestRepositories.T0);
    private final BlobStoreLocks locks = new BlobStoreLocks(store, clock, Duration.ofMinutes(10), Duration.ZERO);

    @Test
    void sharedLocksCoexistButExcludePrune() {
        try (var a = locks.lockShared("backup"); var b = locks.lockShared("backup")) {
            assertThat(store.list("locks/")).hasSize(2);
            assertThatThrownBy(() -> locks.lockExclusive("prune")).isInstanceOf(LockedException.class)
                    .hasMessageContaining("shared, backup");
        }
        assertThat(store.list("locks/")).isEmpty();
        try (var prune = locks.lockExclusive("prune")) {
            assertThatThrownBy(() -> locks.lockShared("backup")).isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune");
            assertThatThrownBy(() -> locks.lockExclusive("prune")).isInstanceOf(LockedException.class);
        }
    }

    @Test
    void theLockOfADeadProcessExpiresAndIsRemoved() {
        var dead = locks.lockExclusive("prune");
        // The owner never refreshes nor closes it (kill -9); after the TTL it no longer counts.
        clock.advance(Duration.ofMinutes(11));
        try (var lease = locks.lockShared("backup")) {
            assertThat(store.list("locks/")).hasSize(1);
            lease.verifyHeld();
        }
        assertThatThrownBy(dead::verifyHeld).isInstanceOf(LockedException.class);
    }

    @Test
    void aLeaseWhoseObjectVanishedIsNoLongerHeld() {
        try (var lease = locks.lockShared("backup")) {
            lease.verifyHeld();
            store.list("locks/").forEach(i -> store.delete(i.key()));
            assertThatThrownBy(lease::verifyHeld).isInstanceOf(LockedException.class).hasMessageContaining("Lost");
        }
    }

    @Test
    void aBackupWaitsForNothingButPruneWaitsForTheBackup() {
        var repo = Repository.init(store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
        try (var held = locks.lockShared("backup of someone else")) {
            assertThatThrownBy(repo::prune).isInstanceOf(LockedException.class);
            var rp = repo.backupStream(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), BackupOptions.defaults());
            assertThat(repo.list()).extracting(RecoveryPoint::id).containsExactly(rp.id());
        }
        repo.prune();
    }
}
