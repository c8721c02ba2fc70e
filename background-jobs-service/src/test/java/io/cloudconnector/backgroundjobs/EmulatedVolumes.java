package io.cloudconnector.backgroundjobs;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.EbsSnapshotSource;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Volumes with content in the emulator, whose volumes hold no data: content is a snapshot seeded through the EBS
 * direct APIs, and a volume is created from it (or tagged with it, to "write" new content to a volume - what the
 * service's emulator shim reads).
 */
public final class EmulatedVolumes implements AutoCloseable {

    public static final int BLOCK = 512 * 1024;
    static final String CONTENT_TAG = "cloudconnector:emulator-content";

    final EbsClient ebs;
    final Ec2Client ec2;
    private final EbsTransferOptions options = EbsTransferOptions.defaults().withConcurrency(8);

    public EmulatedVolumes(AwsEmulator emulator) {
        var clients = ConnectorStack.clients(emulator);
        this.ebs = clients.sync(EbsClient.builder());
        this.ec2 = clients.sync(Ec2Client.builder());
    }

    /** Blocks of pseudo-random data (compressible in halves, so compression shows) at these indexes. */
    public static Map<Long, byte[]> blocks(long seed, long... indexes) {
        Map<Long, byte[]> blocks = new TreeMap<>();
        for (long index : indexes) {
            blocks.put(index, block(seed * 100_003 + index));
        }
        return blocks;
    }

    static byte[] block(long seed) {
        var data = new byte[BLOCK];
        new SplittableRandom(seed).nextBytes(data);
        java.util.Arrays.fill(data, BLOCK / 2, BLOCK, (byte) (seed & 0x7f));
        return data;
    }

    /** A completed snapshot of a {@code sizeGiB} volume holding {@code blocks}. */
    public String seed(long sizeGiB, Map<Long, byte[]> blocks) {
        try (var sink = EbsSnapshotSink.create(
                ebs,
                new EbsSnapshotSink.NewSnapshot(
                        "seed",
                        Map.of("test", "seed"),
                        false,
                        null,
                        UUID.randomUUID().toString(),
                        60),
                options)) {
            sink.start(sizeGiB << 30);
            blocks.forEach((index, data) -> sink.writeBlock(index, data, BLOCK));
            sink.finish();
            return sink.snapshotId();
        }
    }

    /** A volume created from a snapshot. */
    public String volumeFrom(String snapshotId, long sizeGiB) {
        return ec2.createVolume(b ->
                        b.snapshotId(snapshotId).availabilityZone("us-east-1a").size((int) sizeGiB))
                .volumeId();
    }

    /** "Writes" to a volume: from now on its content is that snapshot's (the shim's convention). */
    void setContent(String volumeId, String snapshotId) {
        ec2.createTags(b -> b.resources(volumeId).tags(t -> t.key(CONTENT_TAG).value(snapshotId)));
    }

    /** Every non-zero block of a snapshot, read back through the direct APIs. */
    public Map<Long, byte[]> read(String snapshotId) {
        Map<Long, byte[]> blocks = new HashMap<>();
        try (var source = EbsSnapshotSource.of(ebs, snapshotId, options)) {
            for (int index : source.allocatedBlocks().orElseThrow().stream().toArray()) {
                var buffer = new byte[BLOCK];
                source.readBlock(index, buffer);
                blocks.put((long) index, buffer);
            }
        }
        return blocks;
    }

    @Override
    public void close() {
        ebs.close();
        ec2.close();
    }
}
