package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.backgroundjobs.ebs.VolumeFacts;
import io.cloudconnector.backgroundjobs.recoverypoint.BackedUpVolume;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.filesystems.Node;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Not a test: the file-browsing figures of docs/performance.md. Builds a 2 GiB ext4 image holding a directory of
 * 10,000 files and a 1 GiB file of random bytes, backs it up into a repository in the emulator's S3 (moto, as the
 * local stack's vaults are), then opens the point as background-jobs does ({@link OpenedPoint}: pooled engine
 * readers, nothing restored) and times listing the directory (read, sorted, as the API pages it), the first byte of
 * the 1 GiB file and reading all of it ({@link FileStreams#copy} with its read-ahead); it prints how many bytes each
 * step asked of the point. Run with {@code bench/files-browse.sh}.
 */
public final class FilesBench {

    private FilesBench() {}

    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory("files-bench");
        var tree = Files.createDirectories(dir.resolve("tree"));
        long t0 = System.nanoTime();
        var many = Files.createDirectories(tree.resolve("many"));
        for (int i = 0; i < 10_000; i++) {
            Files.writeString(many.resolve(String.format("file-%05d.txt", i)), "entry " + i + "\n");
        }
        var random = new SplittableRandom(1);
        try (var out =
                FileChannel.open(tree.resolve("big.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var buffer = ByteBuffer.allocate(1 << 20);
            for (int mib = 0; mib < 1024; mib++) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip();
                out.write(buffer);
            }
        }
        var image = dir.resolve("image.ext4");
        DiskImages.run(
                List.of("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), image.toString(), "2G"),
                Duration.ofMinutes(30));
        DiskImages.run(List.of("rm", "-rf", tree.toString()), Duration.ofMinutes(5));
        System.out.printf("image: %d MiB ext4 built in %.1f s%n", Files.size(image) >> 20, seconds(t0));

        var emulator = AwsEmulator.shared();
        try (var s3 = EmulatorClients.s3(emulator)) {
            s3.createBucket(b -> b.bucket("files-bench"));
            var key = new KeyCredential.Passphrase("files-bench", new KdfParameters(64, 1, 1));
            var repository = Repository.init(new S3BlobStore(s3, "files-bench", ""), key);
            t0 = System.nanoTime();
            String id;
            try (var source = ImageFileSource.open(image)) {
                id = repository.backupBlocks(source, BackupOptions.defaults()).id();
            }
            System.out.printf("backup into the emulator's S3: %.1f s%n", seconds(t0));

            var volume = new VolumeFacts("vol-bench", 2, "gp3", null, null, false, null, "us-east-1a", null, Map.of());
            var point = new KnownRecoveryPoint(
                    id,
                    "vlt-bench",
                    "aws:ebs:123456789012:us-east-1:vol-bench",
                    RecoveryPointKind.EBS,
                    Instant.now(),
                    null,
                    "j-bench",
                    2L << 30,
                    List.of(new BackedUpVolume(volume, null, true, "snap-bench", true, 0)),
                    null,
                    RecoveryPointStatus.AVAILABLE);
            for (int run = 1; run <= 3; run++) {
                System.out.printf("run %d:%n", run);
                measure(Repository.open(new S3BlobStore(s3, "files-bench", ""), key), point);
            }
        } finally {
            DiskImages.run(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(5));
        }
    }

    private static void measure(Repository repository, KnownRecoveryPoint point) throws Exception {
        long t0 = System.nanoTime();
        var opened = OpenedPoint.open(repository, point, 4);
        var fs = opened.volume("disk0").orElseThrow().browsable();
        System.out.printf(
                "  open the point (manifest, index, partition table, superblock): %.3f s, %s asked of the point%n",
                seconds(t0), mib(opened.bytesRead()));

        long before = opened.bytesRead();
        t0 = System.nanoTime();
        var directory = fs.resolve("/many").orElseThrow();
        List<Node> entries = new ArrayList<>(fs.list(directory));
        entries.sort(Comparator.comparing(Node::name));
        System.out.printf(
                "  list /many: %d entries in %.3f s, %s asked of the point%n",
                entries.size(), seconds(t0), mib(opened.bytesRead() - before));

        before = opened.bytesRead();
        t0 = System.nanoTime();
        var big = fs.resolve("/big.bin").orElseThrow();
        var data = fs.content(big);
        long[] firstByte = {0};
        long start = t0;
        var counting = new OutputStream() {
            long bytes;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (bytes == 0 && len > 0) {
                    firstByte[0] = System.nanoTime() - start;
                }
                bytes += len;
            }
        };
        FileStreams.copy(data, 0, data.size(), 4, counting);
        double total = seconds(t0);
        System.out.printf(
                "  /big.bin (%s): first byte after %.3f s, all of it in %.1f s = %.0f MB/s, %s asked of the point%n",
                mib(data.size()),
                firstByte[0] / 1e9,
                total,
                counting.bytes / total / 1e6,
                mib(opened.bytesRead() - before));
        opened.close();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
