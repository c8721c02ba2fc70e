package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.BlockSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.Tag;

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
 *
 * <p>The copy is a snapshot whose parent ({@code StartSnapshot}'s {@code ParentSnapshotId}) is the content: it holds
 * the parent's blocks and nothing is put, as EBS itself makes a snapshot of a volume whose blocks have not changed.
 * The emulator's moto ignores the parent unless the connector's emulator start-up ({@code scripts/emulator}) taught
 * it; a snapshot that did not inherit its parent's blocks is deleted and the blocks are copied one by one instead.
 */
final class EmulatorSnapshotShim implements SnapshotTaker {

    /** The volume tag naming the snapshot that holds the volume's current content, in the emulator. */
    static final String CONTENT_TAG = "cloudconnector:emulator-content";

    private static final Logger log = LoggerFactory.getLogger(EmulatorSnapshotShim.class);

    private final BlockTransfers transfers;
    private final AwsClients clients;
    // Whether the emulator ignored a parent once: then every snapshot is copied block by block.
    private volatile boolean parentsIgnored;

    EmulatorSnapshotShim(BlockTransfers transfers, AwsClients clients) {
        this.transfers = transfers;
        this.clients = clients;
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
        if (content != null && !parentsIgnored) {
            String child = child(region, volume, content, tags);
            if (child != null) {
                return child;
            }
        }
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

    /** A completed snapshot with {@code content} as its parent and no block of its own; null if the parent was lost. */
    private @Nullable String child(String region, VolumeFacts volume, String content, Map<String, String> tags) {
        var ebs = clients.in(region).ebs();
        String id = ebs.startSnapshot(b -> b.volumeSize(volume.sizeGiB())
                        .parentSnapshotId(content)
                        .description("Cloud Connector backup of " + volume.volumeId() + " (emulator shim)")
                        .tags(tags.entrySet().stream()
                                .map(e -> Tag.builder()
                                        .key(e.getKey())
                                        .value(e.getValue())
                                        .build())
                                .toList())
                        .clientToken(UUID.randomUUID().toString())
                        .timeout(60))
                .snapshotId();
        long inherited = blocks(ebs, id);
        long expected = blocks(ebs, content);
        if (inherited != expected) {
            log.warn(
                    "The emulator ignores ParentSnapshotId ({} of {} blocks inherited); copying snapshots block by"
                            + " block (start moto_server with scripts/emulator on its PYTHONPATH)",
                    inherited,
                    expected);
            parentsIgnored = true;
            clients.in(region).ec2().deleteSnapshot(b -> b.snapshotId(id));
            return null;
        }
        ebs.completeSnapshot(b -> b.snapshotId(id).changedBlocksCount(0));
        return id;
    }

    private static long blocks(EbsClient ebs, String snapshotId) {
        return ebs.listSnapshotBlocksPaginator(b -> b.snapshotId(snapshotId)).stream()
                .mapToLong(page -> page.blocks().size())
                .sum();
    }
}
