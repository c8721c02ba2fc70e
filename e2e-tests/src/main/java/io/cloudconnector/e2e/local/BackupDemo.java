package io.cloudconnector.e2e.local;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.BlockSource;
import io.cloudconnector.scalez.source.EbsSnapshotSource;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backup demo of {@code ./connector demo}, after the smoke flow made the {@code demo} vault: a 1 GiB ext4
 * image made with {@code mke2fs -d} from real files becomes a volume in the emulator; it is backed up (a live
 * progress bar from the job-status service), about 1% of its blocks change, it is backed up again (incremental),
 * the second recovery point is restored into a new snapshot, and that snapshot is read back and its SHA-256
 * compared with the image's. Everything goes through the services' APIs; only the emulator's missing volume data
 * is stood in for (see {@link #changeVolume}).
 *
 * <p>It is longer than the usual 450 lines because it is the demo's script, its steps in the order the user sees them.
 */
final class BackupDemo {

    private static final long GIB = 1L << 30;
    private static final int BLOCK = BlockSource.BLOCK_SIZE;
    /** How much of the JDK's files go into the image: enough to be real, small enough for the 3-minute demo. */
    private static final long FILE_BYTES = 64L << 20;

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");
    private static final String CONTENT_TAG = "cloudconnector:emulator-content";

    private final URI endpoint;
    private final String region;
    private final PrintStream out;
    private final boolean terminal;
    private final JsonMapper json = EventCodec.standardMapper();
    private final DemoClient client;
    private final EbsTransferOptions transfer = EbsTransferOptions.defaults().withConcurrency(8);
    private final List<String> failures;
    private final Map<String, Object> report = new LinkedHashMap<>();

    BackupDemo(URI endpoint, String region, PrintStream out, boolean terminal, List<String> failures) {
        this.endpoint = endpoint;
        this.region = region;
        this.out = out;
        this.terminal = terminal;
        this.failures = failures;
        this.client = new DemoClient(DemoClient.local(), out, failures, Duration.ofMinutes(10));
    }

    /** Runs the demo into {@code vaultId}; returns what it measured (for {@code --json}). */
    Map<String, Object> run(String token, String vaultId) throws Exception {
        var clients = clients(endpoint, region);
        Path work = Files.createTempDirectory("cc-demo-");
        Instant started = Instant.now();
        try (var ebs = clients.sync(EbsClient.builder());
                var ec2 = clients.sync(Ec2Client.builder())) {
            out.printf("%n4. A volume from a real ext4 image:%n");
            Path image = work.resolve("volume.img");
            long files = makeImage(work.resolve("files"), image);
            var seeded = seed(ebs, image, "demo volume");
            String volume = ec2.createVolume(b -> b.snapshotId(seeded.snapshotId())
                            .availabilityZone(region + "a")
                            .size(1)
                            .tagSpecifications(t -> t.resourceType("volume")
                                    .tags(g -> g.key("Name").value("cc-demo"))))
                    .volumeId();
            out.printf(
                    "   mke2fs -d: %s of files in a 1 GiB ext4 image, %d blocks of 512 KiB hold data%n",
                    JobsCommand.bytes(files), seeded.blocks());
            out.printf(
                    "   seeded snapshot %s through the EBS direct APIs, volume %s from it   ok%n",
                    seeded.snapshotId(), volume);
            report.put("volumeId", volume);
            report.put("imageBytes", GIB);
            report.put("fileBytes", files);
            report.put("blocksWithData", seeded.blocks());

            out.printf("%n5. Backup (full):%n");
            var full = backup(token, volume, vaultId, "full");
            if (full == null) {
                return report;
            }

            out.printf("%n6. About 1%% of the blocks change, then an incremental backup:%n");
            int changed = changeImage(image, seeded.allocated());
            var second = seed(ebs, image, "demo volume, changed");
            changeVolume(ec2, volume, second.snapshotId());
            out.printf("   %d of %d blocks changed (%.1f%%)%n", changed, GIB / BLOCK, 100.0 * changed / (GIB / BLOCK));
            report.put("blocksChanged", changed);
            var incremental = backup(token, volume, vaultId, "incremental");
            if (incremental == null) {
                return report;
            }
            if (!value(full, "recoveryPointId").equals(incremental.get("parentRecoveryPointId"))) {
                failures.add("the second backup is not an incremental of the first: " + incremental);
            }

            out.printf("%n7. Restore the second recovery point into a new snapshot, read it back:%n");
            var restore = restore(token, (String) value(incremental, "recoveryPointId"));
            if (restore == null) {
                return report;
            }
            String expected = sha256(image);
            String actual = sha256(ebs, (String) value(restore, "snapshotId"));
            boolean match = expected.equals(actual);
            out.printf(
                    "   SHA-256 of the changed image      %s%n   SHA-256 of the restored snapshot  %s   %s%n",
                    expected, actual, match ? "MATCH" : "DIFFERENT");
            if (!match) {
                failures.add("the restored snapshot differs from the image");
            }
            report.put("sha256", Map.of("image", expected, "restored", actual, "match", match));
            summary(files, seeded.blocks(), changed, full, incremental, restore, match, started);
            return report;
        } finally {
            deleteTree(work);
        }
    }

    /** The clients of the local tool: the emulator at {@code endpoint}, with the emulator's credentials. */
    static AwsClientFactory clients(URI endpoint, String region) {
        return new AwsClientFactory(AwsProperties.of(region, endpoint).withStaticCredentials("test", "test"));
    }

    /**
     * Restores {@code pointId} into a new snapshot through the API, as step 7 does, and reads it back: the SHA-256 of
     * the restored volume, or null (a failure was noted). Used by {@link LockDemo} after its attack.
     */
    @Nullable
    String restoredSha256(String token, String pointId) throws Exception {
        var restore = restore(token, pointId);
        if (restore == null) {
            return null;
        }
        try (var ebs = clients(endpoint, region).sync(EbsClient.builder())) {
            return sha256(ebs, (String) value(restore, "snapshotId"));
        }
    }

    private record Seeded(String snapshotId, int blocks, BitSet allocated) {}

    /** A directory of real files (the JDK's own, in path order, up to {@link #FILE_BYTES}) in a new ext4 image. */
    private long makeImage(Path files, Path image) throws IOException, InterruptedException {
        Path from = Path.of(System.getProperty("java.home"));
        long copied = 0;
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(from)) {
            sources = walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
        for (Path source : sources) {
            long size = Files.size(source);
            if (copied + size > FILE_BYTES) {
                continue;
            }
            Path target = files.resolve(from.relativize(source).toString());
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
            copied += size;
        }
        try (var file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(GIB);
        }
        var mke2fs = new ProcessBuilder(
                        mke2fs(), "-q", "-F", "-t", "ext4", "-L", "cc-demo", "-d", files.toString(), image.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(mke2fs.getInputStream().readAllBytes());
        if (mke2fs.waitFor() != 0) {
            throw new IllegalStateException("mke2fs failed: " + output.strip());
        }
        return copied;
    }

    private static String mke2fs() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "mke2fs");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("mke2fs not found: install e2fsprogs (apt-get install e2fsprogs)");
    }

    /** A snapshot holding the image's non-zero blocks, written through the EBS direct APIs. */
    private Seeded seed(EbsClient ebs, Path image, String description) {
        var allocated = new BitSet();
        try (var source = ImageFileSource.open(image);
                var sink = EbsSnapshotSink.create(
                        ebs,
                        new EbsSnapshotSink.NewSnapshot(
                                description,
                                Map.of("Name", "cc-demo-seed"),
                                false,
                                null,
                                UUID.randomUUID().toString(),
                                60),
                        transfer)) {
            sink.start(source.size());
            var buffer = new byte[BLOCK];
            for (long index = 0; index < source.blockCount(); index++) {
                source.readBlock(index, buffer);
                int length = source.blockLength(index);
                if (!ZeroBlocks.isZero(buffer, length)) {
                    allocated.set((int) index);
                    sink.writeBlock(index, buffer, length);
                }
            }
            sink.finish();
            return new Seeded(java.util.Objects.requireNonNull(sink.snapshotId()), allocated.cardinality(), allocated);
        }
    }

    /** Overwrites 4 KiB at a random place in about 1% of the blocks that hold data (a fixed seed: the same each run). */
    private static int changeImage(Path image, BitSet allocated) throws IOException {
        var random = new SplittableRandom(42);
        int[] candidates = allocated.stream().toArray();
        int wanted = (int) Math.max(1, GIB / BLOCK / 100);
        var chosen = new BitSet();
        while (chosen.cardinality() < Math.min(wanted, candidates.length)) {
            chosen.set(candidates[random.nextInt(candidates.length)]);
        }
        try (var file = new RandomAccessFile(image.toFile(), "rw")) {
            var bytes = new byte[4096];
            for (int block : chosen.stream().toArray()) {
                random.nextBytes(bytes);
                file.seek((long) block * BLOCK + random.nextInt(BLOCK / 4096) * 4096L);
                file.write(bytes);
            }
        }
        return chosen.cardinality();
    }

    /**
     * The emulator's volumes hold no data, so "writing" to the volume means: the new content is a seeded
     * snapshot, and the volume's tag names it. The service's emulator shim (local mode against the emulator only)
     * reads it when it snapshots the volume; everything else is the real code path.
     */
    private void changeVolume(Ec2Client ec2, String volume, String snapshotId) {
        ec2.createTags(b -> b.resources(volume).tags(t -> t.key(CONTENT_TAG).value(snapshotId)));
        out.printf(
                "   (emulator: the new content is snapshot %s; the volume's tag %s names it)%n",
                snapshotId, CONTENT_TAG);
    }

    /** Starts a backup and follows it; returns what the catalog recorded, or null (a failure was noted). */
    private @Nullable Map<String, Object> backup(String token, String volume, String vaultId, String label)
            throws IOException, InterruptedException {
        Instant started = Instant.now();
        var accepted = send(
                LocalService.BACKGROUND_JOBS,
                "POST",
                "/v1/backups",
                token,
                "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vaultId + "\"}");
        if (accepted.statusCode() != 202) {
            failures.add("the " + label + " backup was refused: " + accepted.statusCode() + " " + accepted.body());
            return null;
        }
        String jobId = json.readTree(accepted.body()).get("jobId").asString();
        out.printf("   POST /v1/backups → 202, job %s%n", jobId);
        var job = follow(token, jobId);
        if (job == null) {
            return null;
        }
        String pointId = job.path("result").path("recoveryPointId").asString();
        var point = awaitOk(LocalService.CATALOG, "/v1/recovery-points/" + pointId, token);
        if (point == null) {
            failures.add("the catalog never listed " + pointId);
            return null;
        }
        long read = Long.parseLong(point.path("source").path("bytes-processed").asString("0"));
        long stored = point.path("storedBytes").asLong();
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        // Read again (not timed): the last phases' report may reach the job-status service just after the job's end.
        var settled = awaitOk(LocalService.JOBSTATUS, "/v1/jobs/" + jobId, token);
        out.println("   phases: " + phases(settled == null ? job : settled));
        out.printf(
                "   %s in the catalog: %s of volume, %s read from EBS, %s added to the vault   %.1f s   ok%n",
                pointId,
                JobsCommand.bytes(point.path("logicalBytes").asLong()),
                JobsCommand.bytes(read),
                JobsCommand.bytes(stored),
                seconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("jobId", jobId);
        result.put("recoveryPointId", pointId);
        result.put("parentRecoveryPointId", point.path("parentRecoveryPointId").asString(""));
        result.put("bytesRead", read);
        result.put("bytesStored", stored);
        result.put("seconds", seconds);
        report.put(label + "Backup", result);
        return result;
    }

    private @Nullable Map<String, Object> restore(String token, String pointId)
            throws IOException, InterruptedException {
        Instant started = Instant.now();
        var accepted = send(
                LocalService.BACKGROUND_JOBS,
                "POST",
                "/v1/restores",
                token,
                "{\"recoveryPointId\":\"" + pointId + "\",\"target\":{\"type\":\"ebs-snapshot\"}}");
        if (accepted.statusCode() != 202) {
            failures.add("the restore was refused: " + accepted.statusCode() + " " + accepted.body());
            return null;
        }
        String jobId = json.readTree(accepted.body()).get("jobId").asString();
        out.printf("   POST /v1/restores → 202, job %s%n", jobId);
        var job = follow(token, jobId);
        if (job == null) {
            return null;
        }
        String snapshot = job.path("result").path("snapshotId").asString();
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        out.printf("   restored into snapshot %s   %.1f s   ok%n", snapshot, seconds);
        Map<String, Object> result = Map.of("jobId", jobId, "snapshotId", snapshot, "seconds", seconds);
        report.put("restore", result);
        return result;
    }

    /** Follows a job in the job-status service, drawing its progress, until it ends; null unless it succeeded. */
    private @Nullable JsonNode follow(String token, String jobId) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        JsonNode job = null;
        long lastLine = 0;
        int polls = 0;
        while (Instant.now().isBefore(deadline)) {
            var response = send(LocalService.JOBSTATUS, "GET", "/v1/jobs/" + jobId, token, null);
            if (response.statusCode() == 200) {
                job = json.readTree(response.body());
                String state = job.path("state").asString();
                if (terminal) {
                    out.print("\r   " + bar(job) + "\033[K");
                    out.flush();
                } else if (FINAL.contains(state) || System.currentTimeMillis() - lastLine >= 2000) {
                    out.println("   " + bar(job));
                    lastLine = System.currentTimeMillis();
                }
                if (FINAL.contains(state)) {
                    if (terminal) {
                        out.println();
                    }
                    if (state.equals("succeeded")) {
                        return job;
                    }
                    failures.add("job " + jobId + " " + state + ": " + job.path("error"));
                    return null;
                }
            }
            Thread.sleep(pause(polls++));
        }
        failures.add("job " + jobId + " did not end within 10 minutes: " + job);
        return null;
    }

    /**
     * The pause before poll {@code n + 1}: 20 ms doubling to 100 ms, with ±20 % jitter, so that what is ready at once
     * (a point the catalog lists a moment after the job ends) is seen at once, and the end of a job is seen within
     * 0.1 s (a job-status read costs a few milliseconds; ten a second do not load the local stack).
     */
    static long pause(int n) {
        return DemoClient.pause(n, Duration.ofMillis(100));
    }

    /** The job's phases from its event log, one line: {@code queued 0.05 s · snapshot 0.80 s · …}. */
    static String phases(JsonNode job) {
        var line = new java.util.StringJoiner(" · ");
        for (var entry : job.path("eventLog")) {
            if (entry.path("type").asString().equals("phase")) {
                line.add(String.format(
                        java.util.Locale.ROOT,
                        "%s %.2f s",
                        entry.path("phase").asString(),
                        entry.path("millis").asLong() / 1000.0));
            }
        }
        return line.length() == 0 ? "(none reported)" : line.toString();
    }

    private static String bar(JsonNode job) {
        var progress = job.path("progress");
        String state = job.path("state").asString();
        double percent =
                state.equals("succeeded") ? 100 : progress.path("percent").asDouble(0);
        int width = 30;
        int filled = (int) Math.round(percent * width / 100);
        var rate = progress.path("bytesPerSecond");
        return String.format(
                java.util.Locale.ROOT,
                "[%s%s] %5.1f%%  %-9s %s / %s%s",
                "#".repeat(filled),
                "-".repeat(width - filled),
                percent,
                state,
                JobsCommand.bytes(progress.path("bytesDone").asLong()),
                JobsCommand.bytes(progress.path("bytesTotal").asLong()),
                rate.isNumber() ? "  " + JobsCommand.bytes(rate.asLong()) + "/s" : "");
    }

    private @Nullable JsonNode awaitOk(LocalService service, String path, String token)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int polls = 0;
        while (Instant.now().isBefore(deadline)) {
            var response = send(service, "GET", path, token, null);
            if (response.statusCode() == 200) {
                return json.readTree(response.body());
            }
            Thread.sleep(pause(polls++));
        }
        return null;
    }

    private static String sha256(Path image) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        try (var source = ImageFileSource.open(image)) {
            var buffer = new byte[BLOCK];
            for (long index = 0; index < source.blockCount(); index++) {
                source.readBlock(index, buffer);
                digest.update(buffer, 0, source.blockLength(index));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of the whole volume a snapshot holds: its blocks read back, zeros where it has none. */
    private String sha256(EbsClient ebs, String snapshotId) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        try (var source = EbsSnapshotSource.of(ebs, snapshotId, transfer)) {
            var allocated = source.allocatedBlocks().orElseThrow();
            var buffer = new byte[BLOCK];
            var zeros = new byte[BLOCK];
            for (long index = 0; index < source.blockCount(); index++) {
                if (allocated.get((int) index)) {
                    source.readBlock(index, buffer);
                    digest.update(buffer, 0, source.blockLength(index));
                } else {
                    digest.update(zeros, 0, source.blockLength(index));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void summary(
            long files,
            int blocks,
            int changed,
            Map<String, Object> full,
            Map<String, Object> incremental,
            Map<String, Object> restore,
            boolean match,
            Instant started) {
        long fullRead = (long) value(full, "bytesRead");
        long fullStored = (long) value(full, "bytesStored");
        out.printf("%nSummary%n");
        out.printf(
                "   volume            1 GiB ext4, %s of files, %d blocks with data%n",
                JobsCommand.bytes(files), blocks);
        out.printf(
                "   full backup       read %s, stored %s (%.1fx less: compressed, deduplicated in the vault)   %.1f s%n",
                JobsCommand.bytes(fullRead),
                JobsCommand.bytes(fullStored),
                fullStored == 0 ? 0 : (double) fullRead / fullStored,
                (double) value(full, "seconds"));
        out.printf(
                "   incremental       %d blocks changed: read %s, stored %s   %.1f s%n",
                changed,
                JobsCommand.bytes((long) value(incremental, "bytesRead")),
                JobsCommand.bytes((long) value(incremental, "bytesStored")),
                (double) value(incremental, "seconds"));
        out.printf("   restore           %s   %.1f s%n", restore.get("snapshotId"), (double) value(restore, "seconds"));
        out.printf("   byte for byte     %s%n", match ? "identical (SHA-256)" : "DIFFERENT");
        out.printf(
                "   backup demo       %d s%n",
                Duration.between(started, Instant.now()).toSeconds());
    }

    private HttpResponse<String> send(
            LocalService service, String method, String path, String token, @Nullable String body)
            throws IOException, InterruptedException {
        return client.send(service, method, path, token, body);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(paths::add);
        }
        for (Path p : paths.reversed()) {
            Files.deleteIfExists(p);
        }
    }

    // A key this class put into the result itself.
    private static Object value(Map<String, Object> result, String key) {
        return java.util.Objects.requireNonNull(result.get(key), key);
    }
}
