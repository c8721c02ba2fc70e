package io.cloudconnector.scalez.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ebs.EbsClient;

/**
 * The EBS direct-API sink and source against the emulator: what one writes the other reads back byte for byte,
 * although the emulator reports a block size of 512 bytes (the source relies on the 512 KiB of each block read).
 */
@WithAwsEmulator
class EbsSnapshotsIT {

    private static final int BLOCK = BlockSource.BLOCK_SIZE;

    @Test
    void aSnapshotWrittenBlockByBlockReadsBackTheSameAndItsChangesAreListed(AwsEmulator emulator) {
        try (var ebs = EbsClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.of(emulator.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build()) {
            var options = EbsTransferOptions.defaults().withConcurrency(4);
            String first = write(ebs, options, "first", Map.of(0L, block(1), 5L, block(2), 2047L, block(3)));
            String second = write(ebs, options, "second", Map.of(0L, block(1), 5L, block(9), 2047L, block(3)));

            try (var source = EbsSnapshotSource.of(ebs, first, options)) {
                assertThat(source.size()).isEqualTo(1L << 30);
                assertThat(source.blocksToRead()).isEqualTo(3);
                var buffer = new byte[BLOCK];
                source.readBlock(2047, buffer);
                assertThat(buffer).isEqualTo(block(3));
                source.readBlock(6, buffer);
                assertThat(buffer).isEqualTo(new byte[BLOCK]);
            }
            try (var changed = EbsSnapshotSource.changedSince(ebs, first, second, options)) {
                assertThat(changed.changedBlocks().orElseThrow().stream()
                                .boxed()
                                .toList())
                        .containsExactly(5);
                var buffer = new byte[BLOCK];
                changed.readBlock(5, buffer);
                assertThat(buffer).isEqualTo(block(9));
            }
        }
    }

    private static String write(EbsClient ebs, EbsTransferOptions options, String name, Map<Long, byte[]> blocks) {
        try (var sink = EbsSnapshotSink.create(
                ebs,
                new EbsSnapshotSink.NewSnapshot(
                        name, Map.of("test", name), false, null, name + "-" + System.nanoTime(), 60),
                options)) {
            sink.start(1L << 30);
            blocks.forEach((index, data) -> sink.writeBlock(index, data, BLOCK));
            sink.finish();
            assertThat(sink.isCompleted()).isTrue();
            return sink.snapshotId();
        }
    }

    private static byte[] block(long seed) {
        var data = new byte[BLOCK];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}
