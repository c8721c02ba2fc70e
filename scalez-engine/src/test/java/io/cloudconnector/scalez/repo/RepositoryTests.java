package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.ChunkKeys;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.crypto.WrongCredentialException;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.RepositoryConfig;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.SourceKind;
import io.cloudconnector.scalez.source.BlockSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryTests {

    private final InMemoryBlobStore store = new InMemoryBlobStore();

    @Test
    void streamRoundTripsAndSecondBackupAddsNothing() {
        var data = TestRepositories.text(1, 3 * 1024 * 1024 + 17);
        {
            var repo = TestRepositories.init(store);
            var first = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
            assertThat(first.bytesProcessed()).isEqualTo(data.length);
            assertThat(first.bytesAdded()).isPositive().isLessThan(data.length / 2);

            var second = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
            assertThat(second.bytesAdded()).isZero();

            var out = new ByteArrayOutputStream();
            repo.restoreStream(second.id(), out, ProgressListener.NONE);
            assertThat(out.toByteArray()).isEqualTo(data);
            assertThat(repo.checkReadData().isClean()).isTrue();
        }
    }

    @Test
    void aNewRepositorySealsEachBlobUnderItsOwnKeyAndMetadataUnderTheDataKey() {
        var repo = TestRepositories.init(store);
        repo.backupStream(new ByteArrayInputStream(TestRepositories.text(3, 3 << 20)), BackupOptions.defaults());
        var ctx = repo.context();
        assertThat(ctx.config().version())
                .isEqualTo(RepositoryConfig.CURRENT_VERSION)
                .isEqualTo(2);
        var dataKey = new Aead(repo.masterKeysForTests().dataKey());
        var chunkKeys = ChunkKeys.of(repo.masterKeysForTests().dataKey());
        int blobs = 0;
        for (var info : store.list("packs/")) {
            var pack = store.get(info.key());
            for (var entry : PackFiles.parseHeader(ctx, info.key(), pack)) {
                assertThat(chunkKeys
                                .aeadFor(entry.id().toBytes())
                                .open(pack, (int) entry.offset(), entry.length(), entry.aad()))
                        .hasSize(entry.length() - Aead.OVERHEAD);
                assertThatThrownBy(() -> dataKey.open(pack, (int) entry.offset(), entry.length(), entry.aad()))
                        .isInstanceOf(DecryptionException.class);
                blobs++;
            }
        }
        assertThat(blobs).isGreaterThan(2);
    }

    @Test
    void aConfigDowngradedToFormat1DoesNotOpen() {
        TestRepositories.init(store);
        var config = store.get(RepositoryConfig.KEY);
        assertThat(config[4]).isEqualTo((byte) 2); // the version byte after "SCZC", covered by the config's AAD
        config[4] = 1;
        store.put(RepositoryConfig.KEY, config);

        assertThatThrownBy(() -> TestRepositories.open(store))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("config");
    }

    @Test
    void blockImageRoundTripsWithZeroBlocksNeverStored(@TempDir Path dir) throws Exception {
        var image = new byte[10 * BlockSource.BLOCK_SIZE + 1000];
        System.arraycopy(
                TestRepositories.random(2, BlockSource.BLOCK_SIZE),
                0,
                image,
                3 * BlockSource.BLOCK_SIZE,
                BlockSource.BLOCK_SIZE);
        System.arraycopy(TestRepositories.text(3, 1000), 0, image, 10 * BlockSource.BLOCK_SIZE, 1000);
        {
            var repo = TestRepositories.init(store);
            var rp = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults());
            assertThat(rp.logicalSize()).isEqualTo(image.length);
            // One random block (incompressible) plus a little text and metadata: far below the 5 MiB image.
            assertThat(rp.bytesAdded()).isLessThan(BlockSource.BLOCK_SIZE + 64 * 1024);

            var target = dir.resolve("restored.img");
            repo.restore(rp.id(), target, ProgressListener.NONE);
            assertThat(Files.readAllBytes(target)).isEqualTo(image);

            var reader = repo.reader(rp.id());
            assertThat(reader.readFully(3L * BlockSource.BLOCK_SIZE - 10, 30))
                    .isEqualTo(java.util.Arrays.copyOfRange(
                            image, 3 * BlockSource.BLOCK_SIZE - 10, 3 * BlockSource.BLOCK_SIZE + 20));
        }
    }

    @Test
    void aReadOfManyBlocksFetchesNeighboursInAPackTogetherAndReturnsTheSameBytes() {
        int blocks = 40;
        var image = TestRepositories.random(9, blocks * BlockSource.BLOCK_SIZE - 1000);
        java.util.Arrays.fill(image, 5 * BlockSource.BLOCK_SIZE, 7 * BlockSource.BLOCK_SIZE, (byte) 0);
        System.arraycopy(image, 0, image, 20 * BlockSource.BLOCK_SIZE, BlockSource.BLOCK_SIZE);
        var repo = Repository.init(
                store,
                TestRepositories.PASSPHRASE,
                TestRepositories.SMALL.withPackSize(16 << 20),
                TestRepositories.options());
        var rp = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults());

        var reader = repo.reader(rp.id());
        long before = store.rangeReads();
        var all = new byte[image.length];
        int request = 16 * BlockSource.BLOCK_SIZE;
        for (int at = 0; at < image.length; at += request) {
            assertThat(reader.read(at, all, at, Math.min(request, image.length - at)))
                    .isEqualTo(Math.min(request, image.length - at));
        }
        assertThat(all).isEqualTo(image);
        assertThat(store.rangeReads() - before)
                .as("range reads for %d blocks read 16 at a time", blocks)
                .isLessThanOrEqualTo(10);

        var random = new Random(10);
        var fresh = repo.reader(rp.id());
        for (int i = 0; i < 30; i++) {
            int at = random.nextInt(image.length);
            int n = random.nextInt(6 * BlockSource.BLOCK_SIZE);
            var buffer = new byte[n + 3];
            int read = fresh.read(at, buffer, 3, n);
            assertThat(read).isEqualTo(Math.min(n, image.length - at));
            assertThat(java.util.Arrays.copyOfRange(buffer, 3, 3 + read))
                    .isEqualTo(java.util.Arrays.copyOfRange(image, at, at + read));
        }
    }

    @Test
    void incrementalWithChangedBlocksEqualsAFullBackup() {
        var random = new Random(4);
        var image = TestRepositories.random(5, 6 * BlockSource.BLOCK_SIZE);
        {
            var repo = TestRepositories.init(store);
            var parent = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults());
            var changed = new BitSet();
            for (int block : new int[] {1, 4}) {
                var patch = new byte[100];
                random.nextBytes(patch);
                System.arraycopy(patch, 0, image, block * BlockSource.BLOCK_SIZE + 77, patch.length);
                changed.set(block);
            }
            var incremental = repo.backupBlocks(
                    TestRepositories.blocks(image),
                    BackupOptions.defaults().withParent(parent.id()).withChangedBlocks(changed));
            var full = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults());

            assertThat(incremental.bytesProcessed()).isEqualTo(2L * BlockSource.BLOCK_SIZE);
            assertThat(full.bytesAdded()).isZero();
            assertThat(restore(repo, incremental.id())).isEqualTo(image).isEqualTo(restore(repo, full.id()));
        }
    }

    private static byte[] restore(Repository repo, String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return out.toByteArray();
    }

    @Test
    void wrongPassphraseIsAClearErrorAndWritesNothing() {
        TestRepositories.init(store);
        var before = store.list("");
        assertThatThrownBy(() -> Repository.open(
                        store,
                        new KeyCredential.Passphrase("wrong", new KdfParameters(1024, 1, 1)),
                        TestRepositories.options()))
                .isInstanceOf(WrongCredentialException.class)
                .hasMessage("Wrong passphrase");
        assertThat(store.list("")).isEqualTo(before);
    }

    @Test
    void fileBackupOnDiskRoundTripsAndReadsAtRandom(@TempDir Path dir) throws Exception {
        var data = TestRepositories.text(21, 700_000);
        var file = Files.write(dir.resolve("data.txt"), data);
        var repo = TestRepositories.init(new io.cloudconnector.scalez.blob.FileSystemBlobStore(dir.resolve("repo")));
        var rp = repo.backupFile(file, BackupOptions.defaults().withLabels(java.util.Map.of("asset", "a1")));
        assertThat(rp.kind()).isEqualTo(SourceKind.FILE);
        assertThat(repo.recoveryPoint(rp.id()).labels()).containsEntry("asset", "a1");
        repo.restore(rp.id(), dir.resolve("back.txt"), ProgressListener.NONE);
        assertThat(Files.readAllBytes(dir.resolve("back.txt"))).isEqualTo(data);
        var reader = repo.reader(rp.id());
        var random = new Random(5);
        for (int i = 0; i < 50; i++) {
            int at = random.nextInt(data.length);
            int n = random.nextInt(100_000);
            var buffer = new byte[n];
            int read = reader.read(at, buffer, 0, n);
            assertThat(read).isEqualTo(Math.min(n, data.length - at));
            assertThat(java.util.Arrays.copyOf(buffer, read))
                    .isEqualTo(java.util.Arrays.copyOfRange(data, at, at + read));
        }
        assertThat(reader.read(data.length, new byte[1], 0, 1)).isEqualTo(-1);
    }

    @Test
    void anEmptyStreamIsARecoveryPointToo() {
        var repo = TestRepositories.init(store);
        var rp = repo.backupStream(new ByteArrayInputStream(new byte[0]), BackupOptions.defaults());
        assertThat(rp.logicalSize()).isZero();
        assertThat(restore(repo, rp.id())).isEmpty();
    }

    @Test
    void aDeviceThatGrewIsReadPastItsOldEnd() {
        var small = TestRepositories.random(8, 2 * BlockSource.BLOCK_SIZE + 100);
        var repo = TestRepositories.init(store);
        var parent = repo.backupBlocks(TestRepositories.blocks(small), BackupOptions.defaults());
        var grown = java.util.Arrays.copyOf(small, 4 * BlockSource.BLOCK_SIZE);
        System.arraycopy(TestRepositories.random(9, 1000), 0, grown, 3 * BlockSource.BLOCK_SIZE, 1000);
        var child = repo.backupBlocks(
                TestRepositories.blocks(grown),
                BackupOptions.defaults().withParent(parent.id()).withChangedBlocks(new BitSet()));
        assertThat(restore(repo, child.id())).isEqualTo(grown);
    }

    @Test
    void forgetByIdAndByRetentionRemovesOnlyManifests() {
        var clock = new MutableClock(TestRepositories.T0);
        var repo = Repository.init(
                store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, TestRepositories.options(clock));
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            clock.advance(java.time.Duration.ofHours(1));
            ids.add(repo.backupStream(
                            new ByteArrayInputStream(TestRepositories.text(i, 10_000)), BackupOptions.defaults())
                    .id());
        }
        repo.forget(ids.get(0));
        assertThat(store.stat("snapshots/" + ids.get(0))).isEmpty();
        var result = repo.forget(RetentionPolicy.none().withLast(2));
        assertThat(result.removed()).extracting(RecoveryPoint::id).containsExactly(ids.get(1), ids.get(2));
        assertThat(repo.list()).extracting(RecoveryPoint::id).containsExactly(ids.get(3), ids.get(4));
        assertThatThrownBy(() -> repo.forget(RetentionPolicy.none())).hasMessageContaining("empty retention policy");
        assertThat(repo.check().isClean()).isTrue();
    }

    @Test
    void statsReportDedupAndCompression() {
        var repo = TestRepositories.init(store);
        var data = TestRepositories.text(30, 1_000_000);
        repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
        repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
        var stats = repo.stats();
        assertThat(stats.recoveryPoints()).isEqualTo(2);
        assertThat(stats.logicalBytes()).isEqualTo(2_000_000);
        assertThat(stats.uniqueBytes()).isGreaterThanOrEqualTo(1_000_000).isLessThan(1_100_000);
        assertThat(stats.dedupRatio()).isBetween(1.8, 2.0);
        assertThat(stats.compressionRatio()).isGreaterThan(2);
        assertThat(stats.storedBytes()).isGreaterThan(stats.blobBytes());
    }

    @Test
    void initRefusesAnExistingRepositoryAndOpenNeedsOne() {
        TestRepositories.init(store);
        assertThatThrownBy(() -> TestRepositories.init(store)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> TestRepositories.open(new InMemoryBlobStore())).hasMessageContaining("No repository");
    }

    @Test
    void anAddedKeyOpensTheSameRepository() {
        var repo = TestRepositories.init(store);
        var rp = repo.backupStream(new ByteArrayInputStream(new byte[] {4, 2}), BackupOptions.defaults());
        var second = new KeyCredential.Passphrase("recovery passphrase", new KdfParameters(1024, 1, 1));
        repo.addKey(second);
        assertThat(store.list("keys/")).hasSize(2);
        var reopened = Repository.open(store, second, TestRepositories.options());
        assertThat(reopened.id()).isEqualTo(repo.id());
        assertThat(restore(reopened, rp.id())).containsExactly(4, 2);
        assertThat(reopened.check().isClean()).isTrue();
    }
}
