package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobPhaseTiming;
import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.sink.BlockSink;
import io.cloudconnector.scalez.source.BlockSource;
import java.time.Clock;
import java.time.Instant;
import java.util.BitSet;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a running job's work can use: its record, progress reporting, and the checkpoint that stops it. */
public final class JobContext {

    private final JobRecord job;
    private final String connectorId;
    private final JobReporter progress;
    private final Clock clock;
    private volatile @Nullable String stopReason;
    // Guarded by this.
    private Instant phaseStart;

    JobContext(JobRecord job, String connectorId, JobReporter progress, Clock clock) {
        this.job = job;
        this.connectorId = connectorId;
        this.progress = progress;
        this.clock = clock;
        this.phaseStart = clock.instant();
    }

    /** Now, by the clock the job's phases are timed with. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Where the next phase begins: where the last recorded one ended (the run's start before any), so that a run's
     * phases follow one another without gaps.
     */
    public synchronized Instant phaseStart() {
        return phaseStart;
    }

    /**
     * Records a finished phase of this run ({@link io.cloudconnector.common.event.JobPhases}) from where the last
     * one ended until now, reported at once.
     */
    public void phase(String name) {
        phase(name, phaseStart(), now());
    }

    /** Records a finished phase from {@code startedAt} to {@code endedAt}, reported at once; the next begins there. */
    public void phase(String name, Instant startedAt, Instant endedAt) {
        var timing = JobPhaseTiming.between(name, startedAt, endedAt);
        synchronized (this) {
            phaseStart = timing.endedAt();
        }
        progress.phase(timing);
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
