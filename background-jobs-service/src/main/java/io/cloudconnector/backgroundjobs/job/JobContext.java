package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.sink.BlockSink;
import io.cloudconnector.scalez.source.BlockSource;
import java.util.BitSet;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a running job's work can use: its record, progress reporting, and the checkpoint that stops it. */
public final class JobContext {

    private final JobRecord job;
    private final String connectorId;
    private final JobReporter progress;
    private volatile @Nullable String stopReason;

    JobContext(JobRecord job, String connectorId, JobReporter progress) {
        this.job = job;
        this.connectorId = connectorId;
        this.progress = progress;
    }

    /** The job, as claimed by this run. */
    public JobRecord job() {
        return job;
    }

    /** The connector id (resource tags, names). */
    public String connectorId() {
        return connectorId;
    }

    /** Reports progress, throttled; for the engine. */
    public ProgressListener progress() {
        return progress::progressed;
    }

    /**
     * A second count that goes with the bytes ({@code done} of {@code total} {@code unit}, e.g. files), sent with the
     * next progress report.
     */
    public void secondary(String unit, long done, long total) {
        progress.secondary(unit, done, total);
    }

    /** Reports progress now, whatever the throttle: the end of a phase. */
    public void reportNow(long bytesDone, long bytesTotal) {
        progress.report(bytesDone, bytesTotal);
    }

    /** Throws {@link JobStoppedException} once the job was cancelled or this run lost the job. */
    public void checkpoint() {
        var reason = stopReason;
        if (reason != null) {
            throw new JobStoppedException(reason);
        }
    }

    /** Whether the job must stop. */
    public boolean stopping() {
        return stopReason != null;
    }

    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** {@code source}, passing every block read through the checkpoint. */
    public BlockSource guard(BlockSource source) {
        return new BlockSource() {
            @Override
            public long size() {
                return source.size();
            }

            @Override
            public void readBlock(long index, byte[] buffer) {
                checkpoint();
                source.readBlock(index, buffer);
            }

            @Override
            public Optional<BitSet> allocatedBlocks() {
                return source.allocatedBlocks();
            }

            @Override
            public String description() {
                return source.description();
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /** {@code sink}, passing every block written through the checkpoint. */
    public BlockSink guard(BlockSink sink) {
        return new BlockSink() {
            @Override
            public void start(long size) {
                checkpoint();
                sink.start(size);
            }

            @Override
            public void writeBlock(long index, byte[] data, int length) {
                checkpoint();
                sink.writeBlock(index, data, length);
            }

            @Override
            public void zeroBlock(long index, int length) {
                sink.zeroBlock(index, length);
            }

            @Override
            public void finish() {
                checkpoint();
                sink.finish();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }
}
