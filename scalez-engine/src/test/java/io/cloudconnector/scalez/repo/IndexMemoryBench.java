package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.ChunkIndex;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.model.RepositorySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The "Index memory" figures of docs/performance.md, run by bench/chunk-index-memory.sh, one step a JVM:
 *
 * <ul>
 *   <li>{@code generate <dir> <chunks>}: a file-system repository with 64 MiB of real data backed up and synthetic
 *       index files for {@code chunks} more chunks (packs that do not exist);
 *   <li>{@code backup <dir>}: a small backup (the 64 MiB again, plus 16 MiB new), then peak RSS;
 *   <li>{@code lookup <dir> <chunks>}: index load time, then the cost of lookups that hit and that miss.
 * </ul>
 */
public final class IndexMemoryBench {

    private static final long SEED = 20_261_207;
    private static final KeyCredential KEY =
            new KeyCredential.Passphrase("index memory bench", new KdfParameters(1024, 1, 1));
    private static final int OLD = 64 << 20;
    private static final int NEW = 16 << 20;

    private IndexMemoryBench() {}

    public static void main(String[] args) throws IOException {
        var dir = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> generate(dir, Long.parseLong(args[2]));
            case "backup" -> backup(dir);
            case "lookup" -> lookup(dir, Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException("generate|backup|lookup, not " + args[0]);
        }
    }

    private static void generate(Path dir, long chunks) {
        long start = System.nanoTime();
        var repo = Repository.init(
                new FileSystemBlobStore(dir), KEY, RepositorySettings.defaults(), TestRepositories.options());
        var point = repo.backupStream(stream(1, OLD), BackupOptions.defaults());
        int files = SyntheticIndexes.write(repo.context(), SEED, chunks);
        System.out.printf(
                Locale.ROOT,
                "generate chunks=%d index_files=%d real_bytes_added=%d seconds=%.1f%n",
                chunks,
                files,
                point.bytesAdded(),
                (System.nanoTime() - start) / 1e9);
    }

    private static void backup(Path dir) throws IOException {
        var repo = Repository.open(new FileSystemBlobStore(dir), KEY, TestRepositories.options());
        long start = System.nanoTime();
        var point =
                repo.backupStream(new SequenceInputStream(stream(1, OLD), stream(2, NEW)), BackupOptions.defaults());
        System.out.printf(
                Locale.ROOT,
                "backup bytes=%d bytes_added=%d seconds=%.1f vm_hwm_kib=%d bound_kib=%d%n",
                point.bytesProcessed(),
                point.bytesAdded(),
                (System.nanoTime() - start) / 1e9,
                status("VmHWM"),
                512 * 1024);
    }

    private static void lookup(Path dir, long chunks) throws IOException {
        var repo = Repository.open(new FileSystemBlobStore(dir), KEY, TestRepositories.options());
        long start = System.nanoTime();
        var index = IndexSet.loadForWriting(repo.context()).index();
        int size = index.size(); // merges what loading spilled
        double load = (System.nanoTime() - start) / 1e9;
        var random = new SplittableRandom(7);
        int n = 200_000;
        var hits = new ObjectId[n];
        var misses = new ObjectId[n];
        for (int i = 0; i < n; i++) {
            hits[i] = SyntheticIndexes.chunkId(SEED, random.nextLong(chunks));
            misses[i] = new ObjectId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
        }
        long found = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            found = 0;
            long t = System.nanoTime();
            for (var id : hits) {
                found += index.find(id) != null ? 1 : 0;
            }
            double hitNs = (System.nanoTime() - t) / (double) n;
            t = System.nanoTime();
            long falseHits = 0;
            for (var id : misses) {
                falseHits += index.contains(id) ? 1 : 0;
            }
            double missNs = (System.nanoTime() - t) / (double) n;
            if (round == 1) {
                System.out.printf(
                        Locale.ROOT,
                        "lookup chunks=%d load_seconds=%.1f spilled=%d hit_ns=%.0f miss_ns=%.0f found=%d/%d"
                                + " false_hits=%d vm_hwm_kib=%d memory_entries=%d%n",
                        size,
                        load,
                        index.spilledSize(),
                        hitNs,
                        missNs,
                        found,
                        n,
                        falseHits,
                        status("VmHWM"),
                        Integer.getInteger(ChunkIndex.MEMORY_ENTRIES_PROPERTY, ChunkIndex.DEFAULT_MEMORY_ENTRIES));
            }
        }
        if (found != n) {
            throw new IllegalStateException("Only " + found + " of " + n + " synthetic chunks were found");
        }
    }

    // A field of /proc/self/status, in KiB.
    private static long status(String field) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    // Incompressible bytes from a seed, without holding them.
    private static InputStream stream(long seed, long length) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = length;

            @Override
            public int read() {
                var one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt();
                }
                left -= n;
                return n;
            }
        };
    }
}
