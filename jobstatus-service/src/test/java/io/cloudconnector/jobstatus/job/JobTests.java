package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobTests {

    private static final String ID = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final JobRecord CREATED =
            JobRecord.unknown(ID).apply(new JobCreated(ID, JobKind.EBS_RESTORE, "vlt-1", null, "rp-1"), T0);

    @Test
    void progressHasPercentRateAndEta() {
        var running = CREATED.apply(new JobStarted(ID, 4_000L), T0.plusSeconds(10))
                .apply(new JobProgressed(ID, 3, 1_000, 4_000), T0.plusSeconds(20));

        var progress = Job.of(running).progress();

        // 1000 bytes in the 10 s since the start: 100 B/s, 3000 bytes left.
        assertThat(progress).isEqualTo(new JobProgress(1_000, 4_000L, 25.0, 100L, 30L, T0.plusSeconds(20)));
    }

    @Test
    void beforeTheFirstReportTheTotalFromTheStartShows() {
        var started = CREATED.apply(new JobStarted(ID, 4_000L), T0.plusSeconds(10));

        assertThat(Job.of(started).progress()).isEqualTo(new JobProgress(0, 4_000L, 0.0, null, null, null));
        assertThat(Job.of(CREATED).progress()).isNull();
        assertThat(Job.of(CREATED).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aSucceededJobIsComplete() {
        var done = CREATED.apply(new JobStarted(ID, 4_000L), T0.plusSeconds(10))
                .apply(new JobProgressed(ID, 3, 3_990, 4_000), T0.plusSeconds(20))
                .apply(new JobSucceeded(ID, new JobResult(null, "snap-1", "vol-1", null, null)), T0.plusSeconds(21));

        var job = Job.of(done);

        assertThat(job.progress().percent()).isEqualTo(100.0);
        assertThat(job.progress().bytesDone()).isEqualTo(4_000);
        assertThat(job.progress().etaSeconds()).isNull();
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(21));
        assertThat(job.result().volumeId()).isEqualTo("vol-1");
    }

    @Test
    void percentRoundsDownSoThatHundredMeansDone() {
        var almost = CREATED.apply(new JobProgressed(ID, 1, 9_999, 10_000), T0);

        assertThat(Job.of(almost).progress().percent()).isEqualTo(99.9);
    }

    @Test
    void aJobWhoseCreationDidNotArriveHasNoView() {
        assertThatThrownBy(() -> Job.of(JobRecord.unknown(ID).apply(new JobStarted(ID, null), T0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
