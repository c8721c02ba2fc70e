package io.cloudconnector.backgroundjobs.restore;

import io.cloudconnector.backgroundjobs.ebs.BlockTransfers;
import io.cloudconnector.backgroundjobs.job.JobContext;
import io.cloudconnector.backgroundjobs.recoverypoint.BackedUpVolume;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.sink.BlockSink;
import io.cloudconnector.scalez.sink.ConcatenatedBlockSink;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes every volume of a recovery point into a new EBS snapshot through the EBS direct APIs (a restore, and a
 * restore test's scratch), noting each snapshot as soon as it is started so that whatever happens next can delete it.
 */
public final class SnapshotRestore {

    /** The new snapshot of the point's volume at {@code index}: its description, tags and encryption. */
    @FunctionalInterface
    public interface NewSnapshots {
        EbsSnapshotSink.NewSnapshot of(int index, BackedUpVolume volume);
    }

    private SnapshotRestore() {}

    /**
     * Restores the point's volumes into new snapshots, in the point's order, and returns their ids; {@code written}
     * gets each id as soon as its snapshot is started (also when the restore then fails).
     */
    public static List<String> write(
            BlockTransfers transfers,
            String region,
            JobContext context,
            Repository repository,
            KnownRecoveryPoint point,
            NewSnapshots snapshots,
            List<String> written) {
        List<EbsSnapshotSink> sinks = new ArrayList<>();
        List<ConcatenatedBlockSink.Part> parts = new ArrayList<>();
        for (int i = 0; i < point.volumes().size(); i++) {
            var volume = point.volumes().get(i);
            var sink = transfers.write(region, snapshots.of(i, volume));
            sinks.add(sink);
            parts.add(new ConcatenatedBlockSink.Part(sink, volume.sizeBytes()));
        }
        BlockSink whole = sinks.size() == 1 ? sinks.getFirst() : ConcatenatedBlockSink.of(parts);
        try (whole) {
            repository.restoreBlocks(
                    point.id(), new Recording(context.guard(whole), sinks, written), context.progress());
        }
        return sinks.stream()
                .map(EbsSnapshotSink::snapshotId)
                .map(Objects::requireNonNull)
                .toList();
    }

    /** Notes each snapshot as soon as it is started. */
    private record Recording(BlockSink sink, List<EbsSnapshotSink> snapshots, List<String> written)
            implements BlockSink {

        @Override
        public void start(long size) {
            try {
                sink.start(size);
            } finally {
                snapshots.stream()
                        .map(EbsSnapshotSink::snapshotId)
                        .filter(Objects::nonNull)
                        .filter(id -> !written.contains(id))
                        .forEach(written::add);
            }
        }

        @Override
        public void writeBlock(long index, byte[] data, int length) {
            sink.writeBlock(index, data, length);
        }

        @Override
        public void zeroBlock(long index, int length) {
            sink.zeroBlock(index, length);
        }

        @Override
        public void finish() {
            sink.finish();
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
