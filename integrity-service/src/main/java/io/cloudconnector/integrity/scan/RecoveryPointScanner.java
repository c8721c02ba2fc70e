package io.cloudconnector.integrity.scan;

import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.Disks;
import io.cloudconnector.filesystems.FileData;
import io.cloudconnector.filesystems.FileEntry;
import io.cloudconnector.filesystems.FileSystem;
import io.cloudconnector.filesystems.Finding;
import io.cloudconnector.integrity.scan.RecoveryPointLayout.Part;
import io.cloudconnector.integrity.scan.detect.ClamAv;
import io.cloudconnector.integrity.scan.detect.Heuristics;
import io.cloudconnector.integrity.scan.detect.ScanEngineException;
import io.cloudconnector.integrity.scan.detect.Yara;
import io.cloudconnector.integrity.signatures.Freshness;
import io.cloudconnector.integrity.signatures.SignatureSet;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.MissingChunkException;
import io.cloudconnector.scalez.repo.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Scans one recovery point through the engine's random-access reads: finds its volumes and file systems,
 * lists their files, then reads every file once on {@code threads} threads — computing entropy and checking
 * magic numbers on the way, comparing with the same file in the previous recovery point, and staging the
 * bytes in small per-thread batches that ClamAV and YARA scan and that are deleted right after. Nothing
 * else of the recovery point is written to disk.
 *
 * <p>It is longer than the usual 450 lines because the scan is one pipeline (volumes, listing, reading, staging,
 * engines, comparison) whose threads share its batches and counters; the readers, the engines and the report live
 * apart.
 */
final class RecoveryPointScanner {

    private static final int CHUNK = 1 << 20;
    private static final int HEAD = 4096;
    private static final int PREVIOUS_SAMPLE = 1 << 20;

    private final ScanSettings settings;
    private final Freshness signatures;

    /**
     * A scanner loading the signatures {@code signatures} names (see {@link io.cloudconnector.integrity.signatures.Signatures}),
     * judged by their freshness.
     */
    RecoveryPointScanner(ScanSettings settings, Freshness signatures) {
        this.settings = settings;
        this.signatures = signatures;
    }

    /**
     * For tests and benches: the machine's own database directory ({@code official-clamav-database}) if it holds
     * databases, and the built-in test signatures accepted when it does not (the report says so).
     */
    RecoveryPointScanner(ScanSettings settings) {
        this(settings, developmentSignatures(settings));
    }

    private static Freshness developmentSignatures(ScanSettings settings) {
        SignatureSet set;
        try {
            set = SignatureSet.databaseFiles(settings.officialClamavDatabase()).isEmpty()
                    ? SignatureSet.builtIn(List.of())
                    : SignatureSet.of(
                            SignatureSet.LOCAL,
                            settings.officialClamavDatabase(),
                            settings.officialClamavDatabase().toString(),
                            null,
                            List.of());
        } catch (IOException e) {
            set = SignatureSet.builtIn(List.of(e.getMessage()));
        }
        return new Freshness(set, java.time.Instant.now(), java.time.Duration.ofDays(3), true);
    }

    /** Job progress: the bytes to read once known, then how far along. */
    interface Progress {
        void total(long bytes);

        void done(long bytes);

        /** Files scanned of those to scan (before the bytes that go with them). */
        default void files(long done, long total) {}
    }

    /** The scan was cancelled. */
    static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("The scan was cancelled");
        }
    }

    private record Task(Part part, FileSystem fs, FileEntry file) {}

    private record Previous(FileSystem fs, FileEntry file) {}

    ScanReport scan(
            Repository repository,
            String recoveryPointId,
            @Nullable Repository previousRepository,
            @Nullable String previousRecoveryPointId,
            Progress progress,
            BooleanSupplier cancelled) {
        var tally = new ScanTally(settings);
        var parts = RecoveryPointLayout.of(repository, recoveryPointId, tally::finding);
        var tasks = files(parts, tally);
        Map<String, Previous> previous = new HashMap<>();
        String comparedWith = null;
        if (previousRecoveryPointId != null && previousRepository != null) {
            try {
                previous = index(RecoveryPointLayout.of(previousRepository, previousRecoveryPointId, f -> {}));
                comparedWith = previousRecoveryPointId;
            } catch (RuntimeException e) {
                tally.finding(Finding.warning(
                        "previous recovery point",
                        "cannot read " + previousRecoveryPointId + " to compare with: " + e.getMessage()));
            }
        }
        Set<String> current = new HashSet<>();
        tasks.forEach(t -> current.add(key(t.part(), t.file().path())));
        progress.files(0, tasks.size());
        progress.total(tasks.stream()
                .mapToLong(t -> Math.min(t.file().size(), settings.maxFileBytes()))
                .sum());
        Path work;
        try {
            Files.createDirectories(settings.workDir());
            work = Files.createTempDirectory(settings.workDir(), "scan-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the scan's work directory under " + settings.workDir(), e);
        }
        var set = signatures.set();
        tally.signatures(signatures);
        try (var clamAv = ClamAv.start(
                settings.clamd(),
                work,
                set.directory() == null ? work.resolve("no-databases") : set.directory(),
                settings.clamdStartTimeout(),
                settings.engineTimeout())) {
            var explanation = signatures.explanation();
            if (explanation != null) {
                // Said in every report: what a verdict without detections rests on.
                tally.finding(Finding.warning("clamav", "signatures: " + explanation));
            }
            var yara = Yara.prepare(settings.yara(), work, settings.extraYaraRules(), settings.engineTimeout());
            run(tasks, previous, current, work, clamAv, yara, tally, progress, cancelled);
            return tally.report(
                    new ScanReport.Engines(
                            clamAv.version(),
                            clamAv.officialDatabase(),
                            clamAv.databases(),
                            yara.version(),
                            yara.ruleFiles(),
                            summary(signatures)),
                    comparedWith);
        } finally {
            deleteTree(work);
        }
    }

    static ScanReport.Signatures summary(Freshness freshness) {
        var set = freshness.set();
        var age = freshness.age();
        return new ScanReport.Signatures(
                set.source(),
                set.version(),
                set.location(),
                set.builtAt() == null ? null : String.valueOf(set.builtAt()),
                set.fetchedAt() == null ? null : String.valueOf(set.fetchedAt()),
                age == null ? null : Freshness.describe(age),
                Freshness.describe(freshness.maxAge()),
                freshness.stale(),
                freshness.acceptable(),
                freshness.explanation());
    }

    private List<Task> files(List<Part> parts, ScanTally tally) {
        List<Task> tasks = new ArrayList<>();
        for (var part : parts) {
            long before = tasks.size();
            String content;
            boolean unreadable = false;
            switch (part.content()) {
                case Disks.Readable(var fs) -> {
                    content = fs.type();
                    fs.findings().forEach(tally::finding);
                    try {
                        fs.walk(file -> tasks.add(new Task(part, fs, file)), tally::finding);
                    } catch (CorruptFileSystemException | CorruptObjectException | MissingChunkException e) {
                        tally.finding(Finding.error(part.key(), "listing its files failed: " + e.getMessage()));
                    }
                }
                case Disks.Unsupported(var format) -> {
                    content = "unsupported: " + format;
                    unreadable = true;
                    tally.finding(Finding.warning(
                            part.key(),
                            format + " is not a file system this scanner reads; " + "its files were not scanned"));
                }
                case Disks.Unrecognised(var reason) -> {
                    content = "unrecognised";
                    unreadable = true;
                    // Not damage we can name: the volume is simply not vouched for (the verdict says unreadable).
                    tally.finding(Finding.warning(part.key(), "holds data but no readable file system: " + reason));
                }
                case Disks.Encrypted(var format) -> {
                    content = "encrypted-volume: " + format;
                    tally.encryptedVolume(part.key() + " (" + format + ")");
                    tally.finding(Finding.warning(
                            part.key(),
                            format + " encrypts this volume: its files cannot be " + "scanned without its key"));
                }
                case Disks.PhysicalVolume(var group, var name, var logical, var _) ->
                    content = "lvm2 physical volume " + name + " of " + group + " (" + logical.size()
                            + " logical volume" + (logical.size() == 1 ? "" : "s") + " here)";
                case Disks.Swap() -> content = "swap";
                case Disks.Empty() -> content = "empty";
            }
            tally.volume(
                    new ScanReport.VolumeSummary(
                            part.key(),
                            part.scheme(),
                            part.partitionType(),
                            part.offset(),
                            part.size(),
                            content,
                            tasks.size() - before),
                    unreadable);
        }
        return tasks;
    }

    private Map<String, Previous> index(List<Part> parts) {
        Map<String, Previous> index = new HashMap<>();
        for (var part : parts) {
            if (part.content() instanceof Disks.Readable(var fs)) {
                fs.walk(file -> index.put(key(part, file.path()), new Previous(fs, file)), f -> {});
            }
        }
        return index;
    }

    private static String key(Part part, String path) {
        return part.key() + "|" + path;
    }

    private void run(
            List<Task> tasks,
            Map<String, Previous> previous,
            Set<String> current,
            Path work,
            ClamAv clamAv,
            Yara yara,
            ScanTally tally,
            Progress progress,
            BooleanSupplier cancelled) {
        var queue = new ConcurrentLinkedQueue<>(tasks);
        var done = new AtomicLong();
        var filesDone = new AtomicLong();
        var failure = new AtomicReference<RuntimeException>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            var batch = new Batch(work.resolve("batch-" + i), clamAv, yara, tally);
            threads.add(Thread.ofPlatform().name("scan-" + i).start(() -> {
                try {
                    Task task;
                    while (failure.get() == null && (task = queue.poll()) != null) {
                        if (cancelled.getAsBoolean()) {
                            throw new CancelledException();
                        }
                        long scanned = scanFile(task, previous, current, batch, tally);
                        progress.files(filesDone.incrementAndGet(), tasks.size());
                        progress.done(done.addAndGet(scanned));
                    }
                    batch.flush();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (var thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                failure.compareAndSet(null, new CancelledException());
                threads.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private long scanFile(
            Task task, Map<String, Previous> previous, Set<String> current, Batch batch, ScanTally tally) {
        var file = task.file();
        String location = task.part().key() + " " + task.fs().type();
        FileData data;
        try {
            data = task.fs().open(file);
        } catch (CorruptFileSystemException e) {
            tally.unreadableFile(Finding.error(location, "/" + file.path() + " cannot be read: " + e.getMessage()));
            return 0;
        }
        long limit = Math.min(file.size(), settings.maxFileBytes());
        var histogram = new long[256];
        byte[] head;
        try {
            head = batch.stage(file.path(), data, limit, histogram);
        } catch (CorruptFileSystemException | CorruptObjectException | MissingChunkException e) {
            tally.unreadableFile(Finding.error(location, "/" + file.path() + " cannot be read: " + e.getMessage()));
            return limit;
        }
        String name = Heuristics.name(file.path());
        double entropy = Heuristics.entropy(histogram, limit);
        boolean high = limit >= Heuristics.MIN_ENTROPY_BYTES && entropy >= Heuristics.HIGH_ENTROPY;
        var mismatch = Heuristics.magicMismatch(name, head);
        boolean encrypted = Heuristics.looksEncrypted(name, file.size(), entropy, head);
        boolean note = Heuristics.ransomNoteName(name);
        var ransomExtension = Heuristics.ransomExtension(name);
        List<String> signs = new ArrayList<>();
        if (encrypted) {
            signs.add(String.format(
                    java.util.Locale.ROOT,
                    "near-random content (%.2f bits/byte)%s",
                    entropy,
                    mismatch.map(m -> ": " + m).orElse(Heuristics.textType(name) ? " in a text file" : "")));
        }
        if (note) {
            signs.add("ransom-note name");
        }
        ransomExtension.ifPresent(ext -> signs.add("ransomware extension " + ext));
        compare(task, previous, current, high, signs, tally);
        tally.file(
                file.path(),
                file.size(),
                limit,
                entropy,
                high,
                mismatch.isPresent(),
                encrypted,
                note,
                ransomExtension.isPresent(),
                signs);
        return limit;
    }

    /** The same file in the previous recovery point (or the one it was renamed from by appending an extension). */
    private void compare(
            Task task,
            Map<String, Previous> previous,
            Set<String> current,
            boolean nowHigh,
            List<String> signs,
            ScanTally tally) {
        if (previous.isEmpty()) {
            return;
        }
        var file = task.file();
        var before = previous.get(key(task.part(), file.path()));
        boolean renamed = false;
        if (before == null) {
            int dot = file.path().lastIndexOf('.');
            if (dot > file.path().lastIndexOf('/') + 1) {
                String original = file.path().substring(0, dot);
                if (!current.contains(key(task.part(), original))) {
                    before = previous.get(key(task.part(), original));
                    renamed = before != null;
                }
            }
            if (before == null) { // not renamed either
                return;
            }
        }
        boolean same =
                !renamed && before.file().size() == file.size() && before.file().modified() == file.modified();
        boolean becameEncrypted = false;
        if (!same && nowHigh) {
            var sample = new long[256];
            long length = Math.min(before.file().size(), PREVIOUS_SAMPLE);
            try {
                var data = before.fs().open(before.file());
                var buffer = new byte[(int) length];
                int n = data.read(0, buffer, 0, buffer.length);
                for (int i = 0; i < Math.max(0, n); i++) {
                    sample[buffer[i] & 0xFF]++;
                }
                becameEncrypted = Heuristics.entropy(sample, Math.max(0, n)) < Heuristics.LOW_ENTROPY;
            } catch (RuntimeException e) {
                // The previous version cannot be read: no comparison for this file.
            }
        }
        if (becameEncrypted) {
            signs.add(
                    renamed
                            ? "renamed from /" + before.file().path() + ", which was plain before"
                            : "was plain in the previous recovery point, now near-random");
        }
        if (renamed) {
            tally.renamed(becameEncrypted);
        } else {
            tally.compared(same, becameEncrypted);
        }
    }

    /** One thread's staged files: written, scanned by both engines, deleted. */
    private final class Batch {
        private final Path dir;
        private final ClamAv clamAv;
        private final Yara yara;
        private final ScanTally tally;
        private final Map<Path, String> paths = new HashMap<>();
        private long bytes;
        private int next;

        Batch(Path dir, ClamAv clamAv, Yara yara, ScanTally tally) {
            this.dir = dir;
            this.clamAv = clamAv;
            this.yara = yara;
            this.tally = tally;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Copies the first {@code limit} bytes of a file into the batch, counting byte values; returns its head. */
        byte[] stage(String path, FileData data, long limit, long[] histogram) {
            var staged = dir.resolve(Integer.toString(next++));
            var head = new byte[(int) Math.min(HEAD, limit)];
            var buffer = new byte[(int) Math.min(CHUNK, Math.max(1, limit))];
            try (var out = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long at = 0; at < limit; ) {
                    int n = data.read(at, buffer, 0, (int) Math.min(buffer.length, limit - at));
                    if (n <= 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        histogram[buffer[i] & 0xFF]++;
                    }
                    if (at < head.length) {
                        System.arraycopy(buffer, 0, head, (int) at, (int) Math.min(n, head.length - at));
                    }
                    out.write(ByteBuffer.wrap(buffer, 0, n));
                    at += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot stage " + path + " for scanning", e);
            }
            paths.put(staged.toAbsolutePath(), path);
            bytes += limit;
            if (bytes >= settings.batchBytes() || paths.size() >= settings.batchFiles()) {
                flush();
            }
            return head;
        }

        void flush() {
            if (paths.isEmpty()) {
                return;
            }
            for (var hit : clamAv.scan(dir)) {
                String path = paths.getOrDefault(
                        hit.file().toAbsolutePath(), hit.file().toString());
                if (hit.signature().startsWith("ERROR: ")) {
                    tally.finding(Finding.warning(
                            "clamav",
                            "/" + path + " could not be scanned: "
                                    + hit.signature().substring(7)));
                } else {
                    tally.detection(path, "clamav", hit.signature());
                }
            }
            for (var hit : yara.scan(dir)) {
                String path = paths.getOrDefault(
                        hit.file().toAbsolutePath(), hit.file().toString());
                if (hit.tags().contains("ransom_note")) {
                    tally.ransomNoteText(path);
                } else {
                    tally.detection(path, "yara", hit.rule());
                }
            }
            for (var staged : paths.keySet()) {
                try {
                    Files.deleteIfExists(staged);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot delete staged " + staged, e);
                }
            }
            paths.clear();
            bytes = 0;
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new ScanEngineException("Cannot clean up " + root + ": " + e.getMessage(), e);
        }
    }
}
