package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.ChunkIndex;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.internal.ChunkSaver;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup against a vault whose index is larger than the in-memory budget still dedups and restores. */
class IndexSpillTests {

    private static final int SYNTHETIC = 60_000;

    private final InMemoryBlobStore store = new InMemoryBlobStore();

    @TempDir
    Path spill;

    @Test
    void aWriterListsAtMostSoManyPacksInAnIndexFile() {
        var repo = TestRepositories.init(store);
        var packs = new ArrayList<PackContents>();
        for (int p = 0; p < 2 * ChunkSaver.MAX_PACKS_PER_INDEX_FILE + 1; p++) {
            packs.add(new PackContents(
                    new ObjectId(p, 1, 2, 3),
                    List.of(new PackEntry(new ObjectId(p, 4, 5, 6), BlobType.DATA, Codec.ZSTD, 10, 0, 12))));
        }
        var keys = ChunkSaver.writeIndexes(repo.context(), packs);
        assertThat(keys).hasSize(3).doesNotHaveDuplicates();
        var loaded = IndexSet.load(repo.context());
        assertThat(loaded.files().get(keys.get(0)).packs()).hasSize(ChunkSaver.MAX_PACKS_PER_INDEX_FILE);
        assertThat(loaded.files().get(keys.get(2)).packs()).hasSize(1);
        assertThat(loaded.index().size()).isEqualTo(packs.size());
        assertThat(loaded.index().find(new ObjectId(5_000, 4, 5, 6)).packId()).isEqualTo(new ObjectId(5_000, 1, 2, 3));
    }

    @Test
    void aBackupDedupsAgainstASpilledIndexAndItsDataRestores() throws Exception {
        var repo = TestRepositories.init(store);
        var data = TestRepositories.text(11, 2 * 1024 * 1024);
        var first = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
        assertThat(first.bytesAdded()).isPositive();
        assertThat(SyntheticIndexes.write(repo.context(), 42, SYNTHETIC)).isEqualTo(2);

        var loaded = IndexSet.load(repo.context(), new ChunkIndex(1_000, spill), false);
        var index = loaded.index();
        assertThat(index.spilledSize()).isGreaterThan(SYNTHETIC - 1_000L);
        assertThat(index.size()).isGreaterThan(SYNTHETIC);
        assertThat(index.find(SyntheticIndexes.chunkId(42, 12_345))).isNotNull();
        assertThat(index.contains(SyntheticIndexes.chunkId(43, 12_345))).isFalse();
        assertThat(loaded.fileKeys()).hasSize(3);
        try (var left = Files.list(spill)) {
            assertThat(left).as("spill files are unlinked").isEmpty();
        }
        index.close();

        var other = TestRepositories.text(12, 1024 * 1024);
        var previous = System.getProperty(ChunkIndex.MEMORY_ENTRIES_PROPERTY);
        System.setProperty(ChunkIndex.MEMORY_ENTRIES_PROPERTY, "500");
        try {
            var again = repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
            assertThat(again.bytesAdded())
                    .as("deduped against the spilled index")
                    .isZero();
            var fresh = repo.backupStream(new ByteArrayInputStream(other), BackupOptions.defaults());
            assertThat(fresh.bytesAdded()).isPositive();
            var freshAgain = repo.backupStream(new ByteArrayInputStream(other), BackupOptions.defaults());
            assertThat(freshAgain.bytesAdded()).isZero();

            var out = new ByteArrayOutputStream();
            repo.restoreStream(again.id(), out, ProgressListener.NONE);
            assertThat(out.toByteArray()).isEqualTo(data);
            out.reset();
            repo.restoreStream(fresh.id(), out, ProgressListener.NONE);
            assertThat(out.toByteArray()).isEqualTo(other);
        } finally {
            if (previous == null) {
                System.clearProperty(ChunkIndex.MEMORY_ENTRIES_PROPERTY);
            } else {
                System.setProperty(ChunkIndex.MEMORY_ENTRIES_PROPERTY, previous);
            }
        }
    }
}
