package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.BlockSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * EMULATOR SHIM, wired only in local mode against an emulator (never in AWS mode, never against real AWS).
 *
 * <p>The emulator's volumes hold no data, and a snapshot EC2's {@code CreateSnapshot} makes there has no blocks for
 * the EBS direct APIs. So where a backup would snapshot a volume, this shim makes a snapshot through the direct
 * APIs instead ({@code StartSnapshot}, {@code PutSnapshotBlock}, {@code CompleteSnapshot}) and copies into it the
 * blocks of the volume's content: the snapshot named by the volume's tag {@value #CONTENT_TAG} (how the demo and
 * tests "write" to a volume: they seed a snapshot and tag the volume with it), else the snapshot the volume was
 * created from, else nothing (a new empty volume reads zeros). Everything after it - listing, reading, changed
 * blocks - is the real code path.
 */
final class EmulatorSnapshotShim implements SnapshotTaker {

    /** The volume tag naming the snapshot that holds the volume's current content, in the emulator. */
    static final String CONTENT_TAG = "cloudconnector:emulator-content";

    private final BlockTransfers transfers;

    EmulatorSnapshotShim(BlockTransfers transfers) {
        this.transfers = transfers;
    }

    @Override
    public Map<String, String> snapshot(
            String region,
            @Nullable String instanceId,
            List<VolumeFacts> volumes,
            Map<String, String> tags,
            Runnable checkpoint) {
        Map<String, String> byVolume = new HashMap<>();
        for (var volume : volumes) {
            byVolume.put(volume.volumeId(), copy(region, volume, tags, checkpoint));
        }
        return byVolume;
    }

    private String copy(String region, VolumeFacts volume, Map<String, String> tags, Runnable checkpoint) {
        String content = volume.tags().getOrDefault(CONTENT_TAG, volume.sourceSnapshotId());
        var spec = new EbsSnapshotSink.NewSnapshot(
                "Cloud Connector backup of " + volume.volumeId() + " (emulator shim)",
                tags,
                volume.encrypted(),
                null,
                UUID.randomUUID().toString(),
                60);
        try (var sink = transfers.write(region, spec)) {
            sink.start(volume.sizeGiB() << 30);
            if (content != null) {
                try (var source = transfers.read(region, content)) {
                    var buffer = new byte[BlockSource.BLOCK_SIZE];
                    for (int block :
                            source.allocatedBlocks().orElseThrow().stream().toArray()) {
                        checkpoint.run();
                        source.readBlock(block, buffer);
                        sink.writeBlock(block, buffer, source.blockLength(block));
                    }
                }
            }
            sink.finish();
            return java.util.Objects.requireNonNull(sink.snapshotId()); // set once started
        }
    }
}
