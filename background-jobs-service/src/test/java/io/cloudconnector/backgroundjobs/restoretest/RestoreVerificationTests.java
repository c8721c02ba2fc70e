package io.cloudconnector.backgroundjobs.restoretest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.backgroundjobs.ebs.VolumeFacts;
import io.cloudconnector.backgroundjobs.recoverypoint.BackedUpVolume;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.BlockSource;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.Block;
import software.amazon.awssdk.services.ebs.model.GetSnapshotBlockRequest;
import software.amazon.awssdk.services.ebs.model.GetSnapshotBlockResponse;
import software.amazon.awssdk.services.ebs.model.ListSnapshotBlocksRequest;
import software.amazon.awssdk.services.ebs.model.ListSnapshotBlocksResponse;

/**
 * The verification against a restored snapshot that differs from its recovery point, which the emulator cannot show (a
 * restore that completes writes what it read): the snapshot is served from memory through a stand-in for the EBS
 * direct APIs, once exactly as the point, once with one byte of one block changed.
 */
class RestoreVerificationTests {

    private static final int BLOCK = RestoreVerification.BLOCK;

    @TempDir
    static Path dir;

    static Repository repository;
    static String pointId;
    static byte[] image;

    @BeforeAll
    static void backedUpImage() throws Exception {
        var tree = Files.createDirectories(dir.resolve("tree"));
        var big = new byte[2 * 1024 * 1024 + 5];
        new Random(7).nextBytes(big);
        DiskImages.write(tree, "data/big.bin", big);
        DiskImages.write(tree, "etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        var file = DiskImages.ext4(tree, dir.resolve("fs.img"), "16M");
        image = Files.readAllBytes(file);
        repository = Repository.init(
                new FileSystemBlobStore(Files.createDirectories(dir.resolve("repo"))),
                new KeyCredential.Passphrase("test", new KdfParameters(64, 1, 1)));
        try (var source = ImageFileSource.open(file)) {
            pointId = repository.backupBlocks(source, BackupOptions.defaults()).id();
        }
    }

    @Test
    void aSnapshotEqualToThePointHasNothingWrong() {
        assertThat(verify(blocks(image))).isEmpty();
    }

    @Test
    void aChangedByteInAnyBlockIsNamedWithItsBlock() {
        var changed = image.clone();
        int block = firstDataBlockAfter(4);
        changed[block * BLOCK + 100] ^= 0x01;

        var reasons = verify(blocks(changed));

        assertThat(reasons).isNotEmpty();
        assertThat(reasons.getFirst()).startsWith("block " + block + " of vol-1 (snapshot snap-1) has SHA-256");
    }

    private static int firstDataBlockAfter(int from) {
        for (int b = from; b * BLOCK < image.length; b++) {
            var slice = Arrays.copyOfRange(image, b * BLOCK, Math.min(image.length, (b + 1) * BLOCK));
            for (byte x : slice) {
                if (x != 0) {
                    return b;
                }
            }
        }
        throw new IllegalStateException("no data block");
    }

    private static List<String> verify(Map<Integer, byte[]> snapshot) {
        var volume = new VolumeFacts("vol-1", 1, "gp3", null, null, false, null, "us-east-1a", null, Map.of());
        var point = new KnownRecoveryPoint(
                pointId,
                "vlt-1",
                "aws:ebs:123456789012:us-east-1:vol-1",
                RecoveryPointKind.EBS,
                Instant.now(),
                null,
                "j-1",
                image.length,
                List.of(new BackedUpVolume(volume, null, false, "snap-0", false, 0)),
                null,
                RecoveryPointStatus.AVAILABLE);
        var verification =
                new RestoreVerification(point, repository, new MemoryEbs(snapshot), id -> source(snapshot), () -> {});
        return verification.verify(List.of("snap-1"));
    }

    /** The non-zero 512 KiB blocks of an image, as EBS lists a snapshot's. */
    private static Map<Integer, byte[]> blocks(byte[] bytes) {
        Map<Integer, byte[]> blocks = new TreeMap<>();
        for (int b = 0; b * BLOCK < bytes.length; b++) {
            var block =
                    Arrays.copyOf(Arrays.copyOfRange(bytes, b * BLOCK, Math.min(bytes.length, (b + 1) * BLOCK)), BLOCK);
            if (!Arrays.equals(block, new byte[BLOCK])) {
                blocks.put(b, block);
            }
        }
        return blocks;
    }

    private static BlockSource source(Map<Integer, byte[]> blocks) {
        return new BlockSource() {
            @Override
            public long size() {
                return 1L << 30;
            }

            @Override
            public void readBlock(long index, byte[] buffer) {
                var block = blocks.get((int) index);
                if (block == null) {
                    Arrays.fill(buffer, 0, BLOCK, (byte) 0);
                } else {
                    System.arraycopy(block, 0, buffer, 0, BLOCK);
                }
            }

            @Override
            public String description() {
                return "memory";
            }

            @Override
            public void close() {}
        };
    }

    /** ListSnapshotBlocks and GetSnapshotBlock of one 1 GiB snapshot held in memory. */
    private record MemoryEbs(Map<Integer, byte[]> blocks) implements EbsClient {

        @Override
        public ListSnapshotBlocksResponse listSnapshotBlocks(ListSnapshotBlocksRequest request) {
            return ListSnapshotBlocksResponse.builder()
                    .volumeSize(1L)
                    .blockSize(BLOCK)
                    .blocks(blocks.keySet().stream()
                            .map(i -> Block.builder()
                                    .blockIndex(i)
                                    .blockToken("t" + i)
                                    .build())
                            .toList())
                    .build();
        }

        @Override
        public <T> T getSnapshotBlock(
                GetSnapshotBlockRequest request, ResponseTransformer<GetSnapshotBlockResponse, T> transformer) {
            byte[] data = java.util.Objects.requireNonNull(blocks.get(request.blockIndex()), "an unlisted block");
            try {
                return transformer.transform(
                        GetSnapshotBlockResponse.builder().dataLength(BLOCK).build(),
                        software.amazon.awssdk.http.AbortableInputStream.create(
                                new java.io.ByteArrayInputStream(data)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String serviceName() {
            return "ebs";
        }

        @Override
        public void close() {}
    }
}
