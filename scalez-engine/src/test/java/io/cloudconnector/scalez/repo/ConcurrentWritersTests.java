package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.model.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** Two backups and a prune at once on one repository (separate Repository instances, as separate processes would). */
class ConcurrentWritersTests {

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void twoBackupsAndAPruneLoseNothing() throws Exception {
        var options = RepositoryOptions.defaults()
                .withClock(Clock.systemUTC())
                .withWorkers(2)
                .withLockWait(Duration.ofMinutes(2));
        var store = new FileSystemBlobStore(dir.resolve("repo"));
        var setup = Repository.init(store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, options);
        // Garbage for the prune to find: a forgotten recovery point sharing chunks with the new ones.
        var shared = TestRepositories.random(1, 800_000);
        var old = setup.backupStream(
                new ByteArrayInputStream(concat(shared, TestRepositories.random(2, 400_000))),
                BackupOptions.defaults());
        setup.forget(old.id());

        var inputs = List.of(
                concat(shared, TestRepositories.random(3, 600_000)),
                concat(TestRepositories.random(4, 500_000), shared));
        var restored = new ConcurrentHashMap<String, byte[]>();
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(3);
        try {
            var tasks = new ArrayList<Future<?>>();
            for (var input : inputs) {
                tasks.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    {
                        var repo = Repository.open(
                                new FileSystemBlobStore(dir.resolve("repo")), TestRepositories.PASSPHRASE, options);
                        restored.put(
                                repo.backupStream(new ByteArrayInputStream(input), BackupOptions.defaults())
                                        .id(),
                                input);
                    }
                    return null;
                }));
            }
            tasks.add(pool.submit((Callable<Void>) () -> {
                start.await();
                {
                    var repo = Repository.open(
                            new FileSystemBlobStore(dir.resolve("repo")), TestRepositories.PASSPHRASE, options);
                    repo.prune();
                }
                return null;
            }));
            start.countDown();
            for (var t : tasks) {
                t.get();
            }
        } finally {
            pool.shutdownNow();
        }

        {
            var repo = Repository.open(store, TestRepositories.PASSPHRASE, options);
            assertThat(repo.checkReadData().damage()).isEmpty();
            assertThat(repo.list()).hasSize(2);
            for (Map.Entry<String, byte[]> e : restored.entrySet()) {
                var out = new ByteArrayOutputStream();
                repo.restoreStream(e.getKey(), out, ProgressListener.NONE);
                assertThat(out.toByteArray()).isEqualTo(e.getValue());
            }
            // And a prune after them all keeps everything that is referenced.
            repo.prune();
            assertThat(repo.checkReadData().isClean()).isTrue();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
