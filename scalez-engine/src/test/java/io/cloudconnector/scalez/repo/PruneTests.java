package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FaultInjectingBlobStore;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.model.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PruneTests {

    private final MutableClock clock = new MutableClock(TestRepositories.T0);
    private final InMemoryBlobStore store = new InMemoryBlobStore(clock);
    private final Repository repo = Repository.init(
            store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));

    private String backup(byte[] data) {
        clock.advance(Duration.ofMinutes(1));
        return repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                .id();
    }

    private byte[] restore(String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return out.toByteArray();
    }

    private long packBytes() {
        return store.list("packs/").stream().mapToLong(i -> i.size()).sum();
    }

    @Test
    void forgottenDataIsDeletedAndWhatIsKeptStillRestores() {
        var keptData = TestRepositories.random(1, 1_000_000);
        var goneData = TestRepositories.random(2, 2_000_000);
        var kept = backup(keptData);
        var gone = backup(goneData);
        long before = packBytes();

        repo.forget(gone);
        var result = repo.prune();

        assertThat(result.packsDeleted()).isPositive();
        assertThat(result.bytesFreed()).isGreaterThan(1_800_000);
        assertThat(packBytes()).isLessThan(before - 1_800_000);
        assertThat(restore(kept)).isEqualTo(keptData);
        assertThat(repo.checkReadData().isClean()).isTrue();
        assertThat(store.list("index/")).hasSize(1);
    }

    @Test
    void packsThatAreMostlyGarbageAreRepacked() {
        // Interleave two streams' chunks in the same packs by backing them up as one, then keeping a third.
        var a = TestRepositories.random(3, 600_000);
        var b = TestRepositories.random(4, 600_000);
        var both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        var whole = backup(both);
        var small = backup(java.util.Arrays.copyOf(a, 100_000));
        repo.forget(whole);

        var result = repo.prune();

        assertThat(result.packsRepacked()).isPositive();
        assertThat(result.packsWritten()).isPositive();
        assertThat(restore(small)).isEqualTo(java.util.Arrays.copyOf(a, 100_000));
        assertThat(packBytes()).isLessThan(300_000);
        assertThat(repo.checkReadData().isClean()).isTrue();
    }

    @Test
    void packsInNoIndexAreKeptUntilOlderThanTheGracePeriod() {
        var id = backup(TestRepositories.random(5, 500_000));
        // A pack of a writer that has not written its index yet (or died before it).
        var orphanKey = store.list("packs/").getFirst().key();
        var orphan = store.get(orphanKey);
        store.list("index/").forEach(i -> store.delete(i.key()));
        repo.forget(id);

        repo.prune();
        assertThat(store.stat(orphanKey)).isPresent();

        clock.advance(Duration.ofHours(2));
        repo.prune();
        assertThat(store.stat(orphanKey)).isEmpty();
        assertThat(orphan).isNotEmpty();
    }

    /**
     * A prune killed after it replaced the index files but before it deleted the packs (here: every pack delete
     * fails) leaves those packs in no index; the next prune, still within the orphan grace period, deletes them
     * because the first one's plan names them.
     */
    @Test
    void aPruneKilledBetweenItsIndexAndItsPackDeletesIsFinishedByTheNextOne() {
        var faults = new FaultInjectingBlobStore(store);
        var repository = Repository.open(faults, TestRepositories.PASSPHRASE, TestRepositories.options(clock));
        var keptData = TestRepositories.random(11, 1_000_000);
        var kept = backup(keptData);
        var gone = backup(TestRepositories.random(12, 2_000_000));
        repository.forget(gone);
        long before = packBytes();

        faults.failPermanently(FaultInjectingBlobStore.Operation.DELETE, "packs/");
        assertThatThrownBy(repository::prune).isInstanceOf(ScalezException.class);
        faults.heal();
        assertThat(store.list("prune/")).as("the killed prune's plans").isNotEmpty();
        assertThat(packBytes()).as("nothing freed yet").isEqualTo(before);
        assertThat(repository.check().damage()).isEmpty();

        clock.advance(Duration.ofMinutes(1)); // well within the hour of grace
        var result = repository.prune();

        assertThat(result.packsDeleted()).isPositive();
        assertThat(packBytes()).isLessThan(before - 1_800_000);
        assertThat(store.list("prune/")).as("plans are removed once done").isEmpty();
        var check = repository.checkReadData();
        assertThat(check.isClean()).isTrue();
        assertThat(check.warnings()).as("packs in no index").isEmpty();
        assertThat(restore(kept)).isEqualTo(keptData);
    }

    /**
     * A prune killed after it stored its repacked packs but before an index listed them (here: every index write
     * fails) leaves those copies in no index; the next prune, within the orphan grace period, deletes them because
     * the killed one named each in a plan before storing it.
     */
    @Test
    void aPruneKilledBeforeItsNewIndexListsItsRepackedPacksLeavesThemToTheNextOne() {
        var faults = new FaultInjectingBlobStore(store);
        var repository = Repository.open(faults, TestRepositories.PASSPHRASE, TestRepositories.options(clock));
        var a = TestRepositories.random(14, 600_000);
        var b = TestRepositories.random(15, 600_000);
        var both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        var whole = backup(both);
        var keptData = java.util.Arrays.copyOf(a, 100_000);
        var kept = backup(keptData);
        repository.forget(whole);
        var packsBefore = new java.util.HashSet<String>();
        store.list("packs/").forEach(i -> packsBefore.add(i.key()));

        faults.failPermanently(FaultInjectingBlobStore.Operation.PUT_IF_ABSENT, "index/");
        assertThatThrownBy(repository::prune).isInstanceOf(ScalezException.class);
        faults.heal();
        var copies = store.list("packs/").stream()
                .map(i -> i.key())
                .filter(k -> !packsBefore.contains(k))
                .toList();
        assertThat(copies).as("the killed prune's repacked packs").isNotEmpty();
        assertThat(repository.check().damage()).isEmpty();

        clock.advance(Duration.ofMinutes(1)); // well within the hour of grace
        repository.prune();

        copies.forEach(k -> assertThat(store.stat(k)).as(k).isEmpty());
        assertThat(store.list("prune/")).as("plans are removed once done").isEmpty();
        assertThat(packBytes()).isLessThan(300_000);
        var check = repository.checkReadData();
        assertThat(check.isClean()).isTrue();
        assertThat(check.warnings()).as("packs in no index").isEmpty();
        assertThat(restore(kept)).isEqualTo(keptData);
    }

    /** A pack the killed prune planned to delete but that a backup adopted since is listed again and kept. */
    @Test
    void aPlannedPackThatABackupAdoptedSinceIsKept() {
        var faults = new FaultInjectingBlobStore(store);
        var repository = Repository.open(faults, TestRepositories.PASSPHRASE, TestRepositories.options(clock));
        var data = TestRepositories.random(13, 1_500_000);
        repository.forget(backup(data));
        faults.failPermanently(FaultInjectingBlobStore.Operation.DELETE, "packs/");
        assertThatThrownBy(repository::prune).isInstanceOf(ScalezException.class);
        faults.heal();
        long orphaned = packBytes();

        var again = backup(data);
        assertThat(repo.manifest(again).summary().bytesAdded())
                .as("the backup reused the orphaned packs")
                .isLessThan(orphaned / 10);
        repository.prune();

        assertThat(restore(again)).isEqualTo(data);
        assertThat(store.list("prune/")).isEmpty();
        assertThat(repository.checkReadData().isClean()).isTrue();
    }

    @Test
    void nothingIsDeletedWhenANeededPackIsMissing() {
        var id = backup(TestRepositories.random(6, 700_000));
        backup(TestRepositories.random(7, 300_000));
        var victim = store.list("packs/").getFirst().key();
        store.delete(victim);
        var before = store.list("");

        assertThatThrownBy(repo::prune).isInstanceOf(ScalezException.class).hasMessageContaining("Cannot prune");
        assertThat(store.list("").stream()
                        .filter(i -> !i.key().startsWith("locks/"))
                        .toList())
                .isEqualTo(before.stream()
                        .filter(i -> !i.key().startsWith("locks/"))
                        .toList());
        assertThat(id).isNotNull();
    }
}
