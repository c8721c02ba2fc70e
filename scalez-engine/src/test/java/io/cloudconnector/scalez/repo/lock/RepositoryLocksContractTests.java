package io.cloudconnector.scalez.repo.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.TestRepositories;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RepositoryLocks} must do, run against each implementation (as {@code BlobStoreContractTests}
 * is for stores): a subclass builds locks over one backing state per test and counts and deletes their records.
 */
abstract class RepositoryLocksContractTests {

    static final Duration TTL = Duration.ofMinutes(10);

    /** The repository's store; {@link BlobStoreLocks} keep their objects in it too. */
    final InMemoryBlobStore store = new InMemoryBlobStore();

    final MutableClock clock = new MutableClock(TestRepositories.T0);

    /** Locks over this test's backing state: every call shares it, as separate processes would. */
    abstract RepositoryLocks locks(Clock clock, Duration ttl, Duration wait);

    /** How many lock records (objects, items) the backing state holds, expired or not. */
    abstract int lockRecords();

    /** Removes every lock record behind the holders' backs (an operator, a lost race). */
    abstract void deleteLockRecords();

    /** The name of the backing state that a conflict's message gives (store location, table). */
    abstract String where();

    final RepositoryLocks locks() {
        return locks(clock, TTL, Duration.ZERO);
    }

    @Test
    void sharedLocksCoexistButExcludeTheExclusiveOneAndViceVersa() {
        var locks = locks();
        try (var a = locks.lockShared("backup");
                var b = locks.lockShared("backup")) {
            assertThat(lockRecords()).isEqualTo(2);
            a.verifyHeld();
            b.verifyHeld();
            assertThatThrownBy(() -> locks.lockExclusive("prune"))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("shared, backup")
                    .hasMessageContaining(where());
            assertThat(lockRecords())
                    .as("the failed exclusive attempt removed its record")
                    .isEqualTo(2);
        }
        assertThat(lockRecords()).isZero();
        try (var prune = locks.lockExclusive("prune")) {
            prune.verifyHeld();
            assertThatThrownBy(() -> locks.lockShared("backup"))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune");
            assertThatThrownBy(() -> locks.lockExclusive("prune"))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune");
        }
        assertThat(lockRecords()).isZero();
        try (var backup = locks.lockShared("backup")) {
            backup.verifyHeld();
        }
    }

    @Test
    void anExclusiveLockWaitsUntilTheSharedOneIsReleasedAndViceVersa() {
        var waiting = locks(Clock.systemUTC(), TTL, Duration.ofSeconds(20));
        var shared = locks(Clock.systemUTC(), TTL, Duration.ZERO).lockShared("backup");
        var release = CompletableFuture.runAsync(
                shared::close, CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));
        try (var prune = waiting.lockExclusive("prune")) {
            assertThat(release)
                    .as("the exclusive lock came only once the shared one was released")
                    .isDone();
            var release2 = CompletableFuture.runAsync(
                    prune::close, CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));
            try (var backup = waiting.lockShared("backup")) {
                assertThat(release2).isDone();
                backup.verifyHeld();
            }
        }
        assertThat(lockRecords()).isZero();
    }

    @Test
    void theLockOfADeadProcessExpiresAndIsTakenOver() {
        var locks = locks();
        var deadPrune = locks.lockExclusive("prune");
        // Its owner never refreshes nor closes it (kill -9); after the TTL it no longer counts.
        clock.advance(TTL.plusMinutes(1));
        try (var backup = locks.lockShared("backup")) {
            backup.verifyHeld();
        }
        try (var prune = locks.lockExclusive("prune")) {
            prune.verifyHeld();
        }
        assertThatThrownBy(deadPrune::verifyHeld)
                .isInstanceOf(LockedException.class)
                .hasMessageContaining("Lost");
        deadPrune.close(); // deletes nothing that is not its own
    }

    @Test
    void anExpiredSharedLockIsRemovedByTheExclusiveLocker() {
        // A backup that died a TTL and a minute ago: its lock says it expired a minute ago.
        var past = new MutableClock(TestRepositories.T0.minus(TTL).minusSeconds(60));
        locks(past, TTL, Duration.ZERO).lockShared("backup");
        try (var prune = locks().lockExclusive("prune")) {
            prune.verifyHeld();
            assertThat(lockRecords()).as("only the exclusive lock is left").isEqualTo(1);
        }
        assertThat(lockRecords()).isZero();
    }

    @Test
    void aLeaseWhoseRecordVanishedIsNoLongerHeld() {
        try (var lease = locks().lockShared("backup")) {
            lease.verifyHeld();
            deleteLockRecords();
            assertThatThrownBy(lease::verifyHeld)
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("Lost");
        }
    }

    @Test
    void aHeldLeaseIsRefreshedPastItsFirstExpiry() {
        var ttl = Duration.ofMillis(1500);
        var locks = locks(Clock.systemUTC(), ttl, Duration.ZERO);
        try (var backup = locks.lockShared("backup")) {
            // Twice the TTL later only the background refreshes can have kept it.
            await().pollDelay(ttl.multipliedBy(2))
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(backup::verifyHeld);
            assertThatThrownBy(() -> locks.lockExclusive("prune"))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("shared, backup");
        }
        assertThat(lockRecords()).isZero();
    }

    @Test
    void aRepositoryBacksUpAndPrunesUnderTheseLocksAndAHeldLockStopsWhatItExcludes() {
        var options = TestRepositories.options(clock).withLocks(locks());
        var repo = Repository.init(store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, options);
        var first = repo.backupStream(
                new ByteArrayInputStream(TestRepositories.text(1, 200_000)), BackupOptions.defaults());
        var second = repo.backupStream(
                new ByteArrayInputStream(TestRepositories.text(2, 200_000)), BackupOptions.defaults());
        repo.forget(first.id());
        repo.prune();
        assertThat(repo.list()).extracting(RecoveryPoint::id).containsExactly(second.id());
        assertThat(lockRecords()).isZero();

        var otherProcess = locks();
        try (var prune = otherProcess.lockExclusive("prune elsewhere")) {
            assertThatThrownBy(() ->
                            repo.backupStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), BackupOptions.defaults()))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune elsewhere");
            assertThatThrownBy(repo::prune).isInstanceOf(LockedException.class);
        }
        // A backup waits for nothing but prune waits for the backup.
        try (var backupElsewhere = otherProcess.lockShared("backup elsewhere")) {
            assertThatThrownBy(repo::prune)
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("shared, backup elsewhere");
            var third = repo.backupStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), BackupOptions.defaults());
            assertThat(repo.list()).extracting(RecoveryPoint::id).containsExactlyInAnyOrder(second.id(), third.id());
        }
        repo.prune();
        assertThat(repo.list()).hasSize(2);
        assertThat(repo.check().isClean()).isTrue();
        assertThat(lockRecords()).isZero();
    }
}
