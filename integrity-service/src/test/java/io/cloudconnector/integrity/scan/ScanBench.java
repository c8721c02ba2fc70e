package io.cloudconnector.integrity.scan;

import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the scanner's side of {@code bench/scan-vs-clamdscan.sh}. Three steps, each its own JVM so that the
 * script can measure the scan alone with {@code /usr/bin/time -v}:
 *
 * <ul>
 *   <li>{@code images TREE SIZE DIR}: an ext4 ({@code mke2fs -d}) and an XFS ({@code mkfs.xfs -p}) image of SIZE
 *       holding TREE, as {@code DIR/image.ext4} and {@code DIR/image.xfs};
 *   <li>{@code backup IMAGE REPO}: backs the image up as a block recovery point into a new local ScaleZ repository and
 *       prints its id;
 *   <li>{@code scan REPO RP THREADS WORK}: scans that recovery point exactly as a scan job does (our file-system
 *       readers through the engine's random-access reads, heuristics, clamd and yara with the connector's
 *       signatures) and prints one line {@code scan: verdict files bytes seconds MB/s}.
 * </ul>
 */
public final class ScanBench {

    private ScanBench() {}

    public static void main(String[] args) throws Exception {
        var slow = Duration.ofHours(1);
        switch (args[0]) {
            case "images" -> {
                var tree = Path.of(args[1]);
                var dir = Files.createDirectories(Path.of(args[3]));
                DiskImages.run(
                        List.of(
                                "mke2fs",
                                "-q",
                                "-F",
                                "-t",
                                "ext4",
                                "-d",
                                tree.toString(),
                                dir.resolve("image.ext4").toString(),
                                args[2]),
                        slow);
                var proto = dir.resolve("image.xfs.proto");
                Files.writeString(proto, DiskImages.protofile(tree));
                DiskImages.run(
                        List.of(
                                "mkfs.xfs",
                                "-q",
                                "-f",
                                "-d",
                                "file,name=" + dir.resolve("image.xfs") + ",size=" + args[2],
                                "-p",
                                proto.toString()),
                        slow);
            }
            case "backup" -> {
                var repository = TestRepositories.create(Files.createDirectories(Path.of(args[2])));
                System.out.println(TestRepositories.backup(
                        repository, Path.of(args[1]), "aws:ebs:123456789012:us-east-1:vol-bench"));
            }
            case "scan" -> {
                var repository = Repository.open(new FileSystemBlobStore(Path.of(args[1])), TestRepositories.KEY);
                int threads = Integer.parseInt(args[3]);
                var base = TestRepositories.settings(Path.of(args[4]));
                var settings = new ScanSettings(
                        threads,
                        100L << 20,
                        64L << 20,
                        500,
                        base.workDir(),
                        base.clamd(),
                        base.officialClamavDatabase(),
                        base.clamdStartTimeout(),
                        base.yara(),
                        base.extraYaraRules(),
                        Duration.ofMinutes(30),
                        10,
                        0.5,
                        50);
                long t0 = System.nanoTime();
                var report = new RecoveryPointScanner(settings)
                        .scan(
                                repository,
                                args[2],
                                null,
                                null,
                                new RecoveryPointScanner.Progress() {
                                    @Override
                                    public void total(long bytes) {}

                                    @Override
                                    public void done(long bytes) {}
                                },
                                () -> false);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "scan: %s %d %d %.2f %.1f%n",
                        report.verdict().wireName(),
                        report.counts().files(),
                        report.counts().bytesScanned(),
                        seconds,
                        report.counts().bytesScanned() / 1e6 / seconds);
            }
            default -> throw new IllegalArgumentException("images | backup | scan, not " + args[0]);
        }
    }
}
