package io.cloudconnector.scalez.source;

import com.sun.management.OperatingSystemMXBean;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.sink.ImageFileSink;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ebs.EbsClient;

/**
 * "The EBS path against the file path" of docs/performance.md, run by bench/ebs-vs-file.sh: in one JVM, the same
 * image backed up from its file ({@link ImageFileSource}) and from an EBS snapshot of it served by {@link EbsStub}
 * through the SDK's {@code EbsClient} ({@link EbsSnapshotSource}), each into a fresh repository, and one recovery
 * point restored to an image file ({@link ImageFileSink}) and to a new EBS snapshot ({@link EbsSnapshotSink}),
 * alternately, several rounds; then the EBS/file throughput ratios against the 90% target. The stub runs in this
 * JVM on the same cores, so its CPU time (request handlers and the HTTP server's dispatcher) is printed too.
 *
 * <pre>EbsPathBench IMAGE WORKDIR [rounds=3] [concurrency=16] [sweep=4,8,16,32] [https|http]</pre>
 *
 * The stub speaks HTTPS by default, as EBS does: over plain HTTP the SDK would hash every written block once more
 * to sign it, which it does not against EBS.
 *
 * The image's size must be a whole number of GiB (EBS volumes are). Figures, not a test: nothing is asserted about
 * time; a restored snapshot or image that differs from the image is reported and fails the run.
 */
public final class EbsPathBench {

    private static final int BLOCK = BlockSource.BLOCK_SIZE;
    private static final long GIB = 1L << 30;
    private static final KeyCredential KEY =
            new KeyCredential.Passphrase("ebs path bench", new KdfParameters(1024, 1, 1));
    private static final String SNAPSHOT = "snap-bench-image";

    private final Path image;
    private final Path work;
    private final EbsStub stub;
    private final EbsClient ebs;
    private final RepositoryOptions repositoryOptions;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final long imageBytes;
    private final long dataBytes;
    private int repositories;

    private EbsPathBench(Path image, Path work, EbsStub stub, long dataBytes) {
        this.image = image;
        this.work = work;
        this.stub = stub;
        this.ebs = productClient(stub);
        // The workers background-jobs gives the engine by default (connector.jobs.engine-workers=0).
        this.repositoryOptions = RepositoryOptions.defaults()
                .withWorkers(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        this.imageBytes = image.toFile().length();
        this.dataBytes = dataBytes;
    }

    /**
     * An EBS client set up as background-jobs' {@code AwsClients} builds it through common's {@code AwsClientFactory}
     * (which this module cannot use): Apache HTTP client with a 2 s connect and 10 s socket timeout, 30 s per call,
     * 10 s per attempt, the SDK's retries off (the source and sink retry themselves).
     */
    static EbsClient productClient(EbsStub stub) {
        var http = ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10));
        URI endpoint = stub.endpoint();
        if (endpoint.getScheme().equals("https")) {
            // The stub's own certificate; the JDK's default trust otherwise, as in the product.
            var trust = stub.trustManagers();
            http.tlsTrustManagersProvider(() -> trust);
        }
        return EbsClient.builder()
                .httpClientBuilder(http)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .endpointOverride(endpoint)
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(30))
                        .apiCallAttemptTimeout(Duration.ofSeconds(10))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: EbsPathBench IMAGE WORKDIR [rounds=3] [concurrency=16] [sweep=4,8,16,32] [https|http]");
        }
        var image = Path.of(args[0]);
        var work = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int[] sweep = args.length > 4 && !args[4].isBlank()
                ? Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[0];
        boolean https = args.length <= 5 || !args[5].equals("http");
        long size = Files.size(image);
        if (size % GIB != 0 || size == 0) {
            throw new IllegalArgumentException(image + " is " + size + " bytes: not a whole number of GiB");
        }
        Files.createDirectories(work);
        try (var stub = https ? EbsStub.https() : new EbsStub()) {
            long data = load(stub, image);
            var bench = new EbsPathBench(image, work, stub, data);
            try {
                bench.run(rounds, concurrency, sweep);
            } finally {
                bench.ebs.close();
            }
        }
    }

    /** The blocks the file source reads (its allocated ones) become the snapshot's written blocks. */
    private static long load(EbsStub stub, Path image) throws IOException {
        Map<Long, byte[]> blocks = new HashMap<>();
        long bytes = 0;
        try (var source = ImageFileSource.open(image)) {
            var allocated = source.allocatedBlocks().orElse(null);
            for (long i = 0; i < source.blockCount(); i++) {
                if (allocated == null || allocated.get((int) i)) {
                    var data = new byte[BLOCK];
                    source.readBlock(i, data);
                    blocks.put(i, data);
                    bytes += source.blockLength(i);
                }
            }
        }
        stub.add(SNAPSHOT, Files.size(image) / GIB, blocks);
        return bytes;
    }

    /**
     * One timed run: wall and process CPU seconds, and the CPU seconds of the stub (its request handlers and the
     * HTTP server's dispatcher), of the EBS source's and sink's transfer threads (SDK, TLS, checksums), of the
     * engine's own threads, and the rest (the JVM's own: garbage collection, the JIT).
     */
    private record Run(
            double seconds,
            double cpuSeconds,
            double stubCpuSeconds,
            double transferCpuSeconds,
            double engineCpuSeconds,
            long gcMillis) {

        double jvmCpuSeconds() {
            return Math.max(0, cpuSeconds - stubCpuSeconds - transferCpuSeconds - engineCpuSeconds);
        }
    }

    /**
     * The CPU time of every Java thread, sampled every 50 ms while a run lasts (a thread's last sample stands for
     * it once it has ended: at most 50 ms of a pool thread that ends with the run are lost), summed by kind.
     */
    private static final class ThreadCpu implements AutoCloseable {
        private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final Map<Long, long[]> first = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, long[]> last = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread sampler;
        private volatile boolean running = true;

        ThreadCpu() {
            sample(true);
            sampler = Thread.ofPlatform().daemon().name("bench-sampler").start(() -> {
                while (running) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    sample(false);
                }
            });
        }

        private void sample(boolean initial) {
            for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu < 0) {
                    continue;
                }
                names.putIfAbsent(info.getThreadId(), info.getThreadName());
                // A thread born during the run started from zero.
                first.putIfAbsent(info.getThreadId(), new long[] {initial ? cpu : 0});
                last.put(info.getThreadId(), new long[] {cpu});
            }
        }

        /** The threads that used the most CPU, named with their seconds. */
        String top(int n) {
            var byName = new java.util.TreeMap<String, Long>();
            last.forEach((id, cpu) ->
                    byName.merge(names.get(id).replaceAll("[0-9]+", "N"), cpu[0] - first.get(id)[0], Long::sum));
            return byName.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(n)
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
                    .toList()
                    .toString();
        }

        /** CPU seconds of the threads whose names start with one of {@code prefixes}. */
        double seconds(String... prefixes) {
            long total = 0;
            for (var e : last.entrySet()) {
                String name = names.get(e.getKey());
                if (Arrays.stream(prefixes).anyMatch(name::startsWith)) {
                    total += e.getValue()[0] - first.get(e.getKey())[0];
                }
            }
            return total / 1e9;
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample(false);
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
                .filter(t -> t > 0)
                .sum();
    }

    private void run(int rounds, int concurrency, int[] sweep) throws IOException {
        var options = EbsTransferOptions.defaults().withConcurrency(concurrency);
        System.out.printf(
                Locale.ROOT,
                "image %s: %d bytes (%.0f MiB), %d blocks of 512 KiB, %d of them written (%.0f MiB read by either"
                        + " source)%n",
                image,
                imageBytes,
                imageBytes / 1048576.0,
                imageBytes / BLOCK,
                dataBytes / BLOCK,
                dataBytes / 1048576.0);
        System.out.printf(
                Locale.ROOT,
                "%d cores, %d engine workers, ebs-concurrency %d; the EBS stub serves %s from this JVM on the same"
                        + " cores%n",
                Runtime.getRuntime().availableProcessors(),
                repositoryOptions.workers(),
                concurrency,
                stub.endpoint().getScheme().toUpperCase(Locale.ROOT));
        // One recovery point of the image for every restore, backed up outside the timings; also the warm-up.
        var restoreRepo = newRepository();
        RecoveryPoint point;
        try (var store = new FileSystemBlobStore(restoreRepo);
                var source = ImageFileSource.open(image)) {
            point = Repository.open(store, KEY, repositoryOptions).backupBlocks(source, BackupOptions.defaults());
        }
        // The product is a long-running service: time the paths with the JIT done compiling them.
        for (int i = 0; i < 2; i++) {
            warmUp(restoreRepo, point.id(), options);
        }
        Map<String, List<Run>> runs = new HashMap<>();
        String[] kinds = {"backup from file", "backup from EBS", "restore to file", "restore to EBS"};
        for (var kind : kinds) {
            runs.put(kind, new ArrayList<>());
        }
        System.out.printf(
                Locale.ROOT,
                "%-6s %-18s %7s %7s %7s %7s %7s %7s %7s %6s%n",
                "round",
                "",
                "wall s",
                "MB/s",
                "CPU s",
                "engine",
                "EBS io",
                "stub",
                "JVM",
                "GC ms");
        System.out.println(
                "(CPU seconds: the whole process, then the engine's threads, the EBS source's/sink's transfer"
                        + " threads, the stub's, and the rest: GC, JIT; GC ms: collection time)");
        for (int round = 1; round <= rounds; round++) {
            for (var kind : kinds) {
                var run = switch (kind) {
                    case "backup from file" -> backupFromFile();
                    case "backup from EBS" -> backupFromEbs(options);
                    case "restore to file" -> restoreToFile(restoreRepo, point.id());
                    default -> restoreToEbs(restoreRepo, point.id(), options);
                };
                runs.get(kind).add(run);
                print(Integer.toString(round), kind, run);
            }
        }
        System.out.println();
        System.out.println("medians:");
        Map<String, Double> median = new HashMap<>();
        for (var kind : kinds) {
            var list = runs.get(kind);
            double seconds = median(list.stream().mapToDouble(Run::seconds).toArray());
            median.put(kind, seconds);
            print(
                    "median",
                    kind,
                    new Run(
                            seconds,
                            median(list.stream().mapToDouble(Run::cpuSeconds).toArray()),
                            median(list.stream()
                                    .mapToDouble(Run::stubCpuSeconds)
                                    .toArray()),
                            median(list.stream()
                                    .mapToDouble(Run::transferCpuSeconds)
                                    .toArray()),
                            median(list.stream()
                                    .mapToDouble(Run::engineCpuSeconds)
                                    .toArray()),
                            (long) median(list.stream()
                                    .mapToDouble(r -> (double) r.gcMillis())
                                    .toArray())));
        }
        System.out.println();
        ratio("backup", median.get("backup from file"), median.get("backup from EBS"));
        ratio("restore", median.get("restore to file"), median.get("restore to EBS"));
        cpu("backup", runs.get("backup from file"), runs.get("backup from EBS"));
        cpu("restore", runs.get("restore to file"), runs.get("restore to EBS"));
        for (int c : sweep) {
            var swept = EbsTransferOptions.defaults().withConcurrency(c);
            print("c=" + c, "backup from EBS", backupFromEbs(swept));
            print("c=" + c, "restore to EBS", restoreToEbs(restoreRepo, point.id(), swept));
        }
        delete(restoreRepo);
    }

    private void warmUp(Path repo, String point, EbsTransferOptions options) throws IOException {
        backupFromFile();
        backupFromEbs(options);
        restoreToFile(repo, point);
        restoreToEbs(repo, point, options);
    }

    private static void ratio(String what, double fileSeconds, double ebsSeconds) {
        double ratio = fileSeconds / ebsSeconds;
        System.out.printf(
                Locale.ROOT,
                "%s: EBS throughput / file throughput = %.2f (target >= 0.90: %s)%n",
                what,
                ratio,
                ratio >= 0.90 ? "met" : "NOT met");
    }

    /** Median CPU seconds of both paths, and of the EBS path without the stub's share (EBS runs elsewhere). */
    private static void cpu(String what, List<Run> file, List<Run> ebs) {
        double fileCpu = median(file.stream().mapToDouble(Run::cpuSeconds).toArray());
        double ebsCpu = median(ebs.stream().mapToDouble(Run::cpuSeconds).toArray());
        double withoutStub = median(ebs.stream()
                .mapToDouble(r -> r.cpuSeconds() - r.stubCpuSeconds())
                .toArray());
        System.out.printf(
                Locale.ROOT,
                "%s CPU: file %.2f s, EBS %.2f s, EBS without the stub's %.2f s (%.2fx the file path's)%n",
                what,
                fileCpu,
                ebsCpu,
                withoutStub,
                withoutStub / fileCpu);
    }

    private void print(String round, String kind, Run run) {
        System.out.printf(
                Locale.ROOT,
                "%-6s %-18s %7.2f %7.1f %7.2f %7.2f %7.2f %7.2f %7.2f %6d%n",
                round,
                kind,
                run.seconds(),
                dataBytes / 1e6 / run.seconds(),
                run.cpuSeconds(),
                run.engineCpuSeconds(),
                run.transferCpuSeconds(),
                run.stubCpuSeconds(),
                run.jvmCpuSeconds(),
                run.gcMillis());
    }

    private Run backupFromFile() throws IOException {
        var dir = newRepository();
        try (var store = new FileSystemBlobStore(dir)) {
            var repo = Repository.open(store, KEY, repositoryOptions);
            return timed(() -> {
                try (var source = ImageFileSource.open(image)) {
                    repo.backupBlocks(source, BackupOptions.defaults());
                }
            });
        } finally {
            delete(dir);
        }
    }

    private Run backupFromEbs(EbsTransferOptions options) throws IOException {
        var dir = newRepository();
        try (var store = new FileSystemBlobStore(dir)) {
            var repo = Repository.open(store, KEY, repositoryOptions);
            return timed(() -> {
                try (var source = EbsSnapshotSource.of(ebs, SNAPSHOT, options)) {
                    repo.backupBlocks(source, BackupOptions.defaults());
                }
            });
        } finally {
            delete(dir);
        }
    }

    private Run restoreToFile(Path dir, String point) throws IOException {
        var target = work.resolve("restored.img");
        Files.deleteIfExists(target);
        try (var store = new FileSystemBlobStore(dir)) {
            var repo = Repository.open(store, KEY, repositoryOptions);
            var run = timed(() -> repo.restore(point, target, ProgressListener.NONE));
            compareFile(target);
            return run;
        } finally {
            Files.deleteIfExists(target);
        }
    }

    private Run restoreToEbs(Path dir, String point, EbsTransferOptions options) throws IOException {
        var spec = new EbsSnapshotSink.NewSnapshot(
                "bench restore", Map.of(), false, null, "bench-" + System.nanoTime(), 60);
        try (var store = new FileSystemBlobStore(dir);
                var sink = EbsSnapshotSink.create(ebs, spec, options)) {
            var repo = Repository.open(store, KEY, repositoryOptions);
            var run = timed(() -> repo.restoreBlocks(point, sink, ProgressListener.NONE));
            var id = sink.snapshotId();
            if (id == null || !sink.isCompleted()) {
                throw new IllegalStateException("the restore did not complete its snapshot");
            }
            compareSnapshot(id);
            stub.remove(id);
            return run;
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    private Run timed(Work work) {
        System.gc();
        long gc = gcMillis();
        long cpu = os.getProcessCpuTime();
        long stubCpu = stubCpu();
        long start = System.nanoTime();
        long end;
        try (var threads = new ThreadCpu()) {
            try {
                work.run();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            end = System.nanoTime();
            long processCpu = os.getProcessCpuTime() - cpu;
            threads.close();
            if (Boolean.getBoolean("bench.threads")) {
                System.out.println("  threads: " + threads.top(8));
            }
            return new Run(
                    (end - start) / 1e9,
                    processCpu / 1e9,
                    (stubCpu() - stubCpu) / 1e9,
                    threads.seconds("ebs-read-", "ebs-write-", "sdk-"),
                    threads.seconds("scalez-", "main"),
                    gcMillis() - gc);
        }
    }

    private long stubCpu() {
        long dispatcher = stub.dispatcherCpuNanos();
        return stub.handlerCpuNanos() + Math.max(0, dispatcher);
    }

    /** The restored image must be the image, byte for byte. */
    private void compareFile(Path restored) throws IOException {
        try (var a = new RandomAccessFile(image.toFile(), "r");
                var b = new RandomAccessFile(restored.toFile(), "r")) {
            if (a.length() != b.length()) {
                throw new IllegalStateException("restored image has " + b.length() + " bytes, not " + a.length());
            }
            var x = new byte[BLOCK];
            var y = new byte[BLOCK];
            for (long offset = 0; offset < a.length(); offset += BLOCK) {
                int n = (int) Math.min(BLOCK, a.length() - offset);
                a.readFully(x, 0, n);
                b.readFully(y, 0, n);
                if (!Arrays.equals(x, 0, n, y, 0, n)) {
                    throw new IllegalStateException("restored image differs in block " + offset / BLOCK);
                }
            }
        }
    }

    /** Every block of the restored snapshot (zeros where nothing was written) must be the image's. */
    private void compareSnapshot(String id) throws IOException {
        var blocks = stub.snapshot(id).blocks();
        var zeros = new byte[BLOCK];
        var expected = new byte[BLOCK];
        int written = 0;
        try (var a = new RandomAccessFile(image.toFile(), "r")) {
            for (long index = 0; index < imageBytes / BLOCK; index++) {
                a.readFully(expected);
                var got = blocks.get(index);
                if (got != null) {
                    written++;
                }
                if (!Arrays.equals(expected, got == null ? zeros : got)) {
                    throw new IllegalStateException("restored snapshot " + id + " differs in block " + index);
                }
            }
        }
        if (blocks.size() != written) {
            throw new IllegalStateException("restored snapshot " + id + " has blocks beyond the image");
        }
    }

    private Path newRepository() throws IOException {
        var dir = work.resolve("repo-" + ++repositories);
        delete(dir);
        try (var store = new FileSystemBlobStore(dir)) {
            Repository.init(store, KEY, RepositorySettings.defaults(), repositoryOptions);
        }
        return dir;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var p : paths.sorted((x, y) -> y.compareTo(x)).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double median(double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
