package io.cloudconnector.integrity.scan;

import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.filesystems.Disks;
import io.cloudconnector.filesystems.FileEntry;
import io.cloudconnector.filesystems.RecoveryPointSource;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: the scan-throughput figure of docs/performance.md. Builds a 2 GiB ext4 image from
 * {@code /usr/share} and {@code /usr/lib/x86_64-linux-gnu}, backs it up into a local ScaleZ repository, and
 * times (1) listing its files with our reader against The Sleuth Kit's {@code fls} on the image file and
 * (2) a whole scan with both engines. Run with {@code integrity-service/src/bench/scan-throughput.sh}.
 */
public final class ScanThroughput {

    private ScanThroughput() {}

    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory("scan-throughput");
        var tree = Files.createDirectories(dir.resolve("tree"));
        var slow = Duration.ofMinutes(30);
        long t0 = System.nanoTime();
        DiskImages.run(List.of("cp", "-a", "/usr/share", "/usr/lib/x86_64-linux-gnu", tree.toString()), slow);
        var image = dir.resolve("image.ext4");
        DiskImages.run(
                List.of("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), image.toString(), "2G"), slow);
        DiskImages.run(List.of("rm", "-rf", tree.toString()), slow);
        System.out.printf(
                "image: %d MiB ext4 built in %.1f s%n", Files.size(image) >> 20, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        var repository = TestRepositories.create(dir.resolve("repo"));
        var rp = TestRepositories.backup(repository, image, "aws:ebs:123456789012:us-east-1:vol-bench");
        System.out.printf("backup: %.1f s%n", (System.nanoTime() - t0) / 1e9);

        t0 = System.nanoTime();
        var tsk = DiskImages.tskFiles(image, 0, slow);
        System.out.printf(
                "tsk fls -r on the image file: %d files in %.2f s%n", tsk.size(), (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        var source = new RecoveryPointSource(() -> repository.reader(rp));
        List<FileEntry> files = new ArrayList<>();
        if (Disks.open(source, "bench") instanceof Disks.Readable(var fs)) {
            fs.walk(files::add, f -> {});
        }
        System.out.printf(
                "our reader over the recovery point: %d files in %.2f s%n",
                files.size(), (System.nanoTime() - t0) / 1e9);

        for (int threads : new int[] {2, 4}) {
            var base = TestRepositories.settings(dir.resolve("work"));
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
                    java.time.Duration.ofMinutes(10),
                    10,
                    0.5,
                    50);
            t0 = System.nanoTime();
            var report = new RecoveryPointScanner(settings)
                    .scan(
                            repository,
                            rp,
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
                    "scan, %d threads: %s, %d files, %.0f MiB of file data in %.1f s = %.1f MiB/s "
                            + "(image %d MiB: %.1f MiB/s)%n",
                    threads,
                    report.verdict(),
                    report.counts().files(),
                    report.counts().bytesScanned() / 1048576.0,
                    seconds,
                    report.counts().bytesScanned() / 1048576.0 / seconds,
                    Files.size(image) >> 20,
                    (Files.size(image) >> 20) / seconds);
        }
        DiskImages.run(List.of("rm", "-rf", dir.toString()), slow);
    }
}
