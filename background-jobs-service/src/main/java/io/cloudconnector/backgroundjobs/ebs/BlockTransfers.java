package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.EbsSnapshotSource;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import org.springframework.stereotype.Component;

/** The engine's EBS direct-API sources and sinks, for a region, with the configured concurrency. */
@Component
public class BlockTransfers {

    private final AwsClients clients;
    private final EbsTransferOptions options;

    BlockTransfers(AwsClients clients, JobsProperties properties) {
        this.clients = clients;
        this.options = EbsTransferOptions.defaults().withConcurrency(properties.ebsConcurrency());
    }

    /** Every written block of a snapshot. */
    public EbsSnapshotSource read(String region, String snapshotId) {
        return EbsSnapshotSource.of(clients.in(region).ebs(), snapshotId, options);
    }

    /** The blocks of {@code snapshotId} that changed since {@code baseSnapshotId}. */
    public EbsSnapshotSource readChanges(String region, String baseSnapshotId, String snapshotId) {
        return EbsSnapshotSource.changedSince(clients.in(region).ebs(), baseSnapshotId, snapshotId, options);
    }

    /** A new snapshot, written block by block. */
    public EbsSnapshotSink write(String region, EbsSnapshotSink.NewSnapshot snapshot) {
        return EbsSnapshotSink.create(clients.in(region).ebs(), snapshot, options);
    }
}
