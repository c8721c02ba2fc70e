package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.BlobInfo;
import io.cloudconnector.scalez.blob.FaultInjectingBlobStore;
import io.cloudconnector.scalez.blob.FaultInjectingBlobStore.Operation;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.blob.Sleeper;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.Finding;
import io.cloudconnector.scalez.model.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A flipped byte or a cut-short object is damage that check names; an outage is not. */
class CorruptionTests {

    private final InMemoryBlobStore inner = new InMemoryBlobStore();
    private FaultInjectingBlobStore store;
    private final byte[] data = TestRepositories.text(11, 1_500_000);
    private final byte[] image = TestRepositories.random(12, 3 * 512 * 1024);
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void backups() {
        store = new FaultInjectingBlobStore(inner, 42, Sleeper.THREAD);
        {
            var repo = TestRepositories.init(store);
            ids.add(repo.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults())
                    .id());
            ids.add(repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                    .id());
        }
    }

    private List<String> objects() {
        return inner.list("").stream()
                .map(BlobInfo::key)
                .filter(k -> !k.startsWith("locks/"))
                .toList();
    }

    /** The objects check names, or the one that kept the repository from opening. */
    private List<String> damagedObjects(boolean readData) {
        try {
            var repo = TestRepositories.open(store);
            var report = readData ? repo.checkReadData() : repo.check();
            return report.damage().stream().map(Finding::object).toList();
        } catch (CorruptObjectException e) {
            return List.of(e.objectKey());
        }
    }

    @Test
    void anUndamagedRepositoryChecksClean() {
        assertThat(objects())
                .anyMatch(k -> k.startsWith("packs/"))
                .anyMatch(k -> k.startsWith("index/"))
                .anyMatch(k -> k.startsWith("snapshots/"))
                .anyMatch(k -> k.startsWith("keys/"))
                .contains("config");
        {
            var repo = TestRepositories.open(store);
            assertThat(repo.checkReadData().isClean()).isTrue();
            assertThat(repo.checkReadData().blobsRead()).isPositive();
        }
    }

    @Test
    void aFlippedByteInAnyObjectIsFoundByReadDataWhichNamesIt() {
        for (var key : objects()) {
            store.flipByte(key);
            assertThat(damagedObjects(true)).as("flipped %s", key).contains(key);
            store.heal();
        }
    }

    @Test
    void aTruncatedObjectIsDamageEvenWithoutReadingData() {
        for (var key : objects()) {
            store.truncate(key, inner.stat(key).orElseThrow().size() - 3);
            assertThat(damagedObjects(false)).as("truncated %s", key).contains(key);
            store.heal();
        }
    }

    @Test
    void restoreNeverReturnsWrongBytes() {
        int failed = 0;
        for (var key : objects()) {
            if (!key.startsWith("packs/")) {
                continue;
            }
            store.flipByte(key);
            for (var id : ids) {
                var out = new ByteArrayOutputStream();
                var error = catchThrowable(() -> {
                    {
                        var repo = TestRepositories.open(store);
                        repo.restoreStream(id, out, ProgressListener.NONE);
                    }
                });
                if (error == null) {
                    assertThat(out.toByteArray()).isEqualTo(id.equals(ids.get(0)) ? data : image);
                } else {
                    assertThat(error).isInstanceOf(ScalezException.class);
                    failed++;
                }
            }
            store.heal();
        }
        assertThat(failed).isPositive();
    }

    @Test
    void anOutageIsReportedAsUncheckedNotAsDamage() {
        {
            var repo = TestRepositories.open(store);
            store.failPermanently(Operation.GET, "packs/");
            var report = repo.checkReadData();
            assertThat(report.damage()).isEmpty();
            assertThat(report.unverified())
                    .isNotEmpty()
                    .allMatch(f -> f.object().startsWith("packs/"));
            assertThat(report.isClean()).isFalse();
        }
    }
}
