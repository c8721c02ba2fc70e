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
        assertThat(progress)
                .isEqualTo(new JobProgress(1_000, 4_000L, 25.0, 100L, 30L, T0.plusSeconds(20), "bytes", null));
    }

    @Test
    void beforeTheFirstReportTheTotalFromTheStartShows() {
        var started = CREATED.apply(new JobStarted(ID, 4_000L), T0.plusSeconds(10));

        assertThat(Job.of(started).progress())
                .isEqualTo(new JobProgress(0, 4_000L, 0.0, null, null, null, "bytes", null));
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

    @Test
    void progressCountsTheUnitItsOwnerNamed() {
        var discovery = JobRecord.unknown(ID)
                .apply(new JobCreated(ID, JobKind.DISCOVERY, null, null, null), T0)
                .apply(new JobStarted(ID, null, "assets"), T0.plusSeconds(1))
                .apply(new JobProgressed(ID, 1, 1_234, 10_000, "assets", null), T0.plusSeconds(6));

        var progress = Job.of(discovery).progress();

        assertThat(progress.unit()).isEqualTo("assets");
        assertThat(progress.bytesDone()).isEqualTo(1_234);
        assertThat(progress.bytesPerSecond()).isEqualTo(247L);
    }

    @Test
    void theUnitOfTheStartShowsBeforeTheFirstReport() {
        var checks = JobRecord.unknown(ID)
                .apply(new JobCreated(ID, JobKind.INTEGRITY_CHECK, null, null, null), T0)
                .apply(new JobStarted(ID, 14L, "checks"), T0);

        assertThat(Job.of(checks).progress().unit()).isEqualTo("checks");
    }

    @Test
    void eventsWithoutAUnitCountBytes() {
        var old = CREATED.apply(new JobStarted(ID, 4_000L), T0).apply(new JobProgressed(ID, 1, 10, 4_000), T0);

        assertThat(Job.of(old).progress().unit()).isEqualTo("bytes");
    }

    @Test
    void aScanCountsFilesBesideBytesAndASucceededScanDidAllOfThem() {
        var scan = JobRecord.unknown(ID)
                .apply(new JobCreated(ID, JobKind.SCAN, "vlt-1", "aws:ebs:1:us-east-1:vol-1", "rp-1"), T0)
                .apply(new JobStarted(ID, null), T0)
                .apply(
                        new JobProgressed(
                                ID, 1, 500, 1_000, null, new io.cloudconnector.common.event.JobCounter("files", 3, 5)),
                        T0.plusSeconds(1));

        assertThat(Job.of(scan).progress().secondary())
                .isEqualTo(new io.cloudconnector.common.event.JobCounter("files", 3, 5));
        var done = scan.apply(
                new JobSucceeded(ID, new JobResult(null, null, null, null, "r-1", "clean")), T0.plusSeconds(2));
        assertThat(Job.of(done).progress().secondary().done()).isEqualTo(5);
        assertThat(Job.of(done).result().verdict()).isEqualTo("clean");
    }

    @Test
    void theTimelineHasAPhaseFromEachStateChangeToTheNextAndTheDurationIsToTheEnd() {
        var done = CREATED.apply(new io.cloudconnector.common.event.JobProvisioning(ID), T0.plusSeconds(5))
                .apply(new JobStarted(ID, 10L), T0.plusSeconds(65))
                .apply(new JobSucceeded(ID, JobResult.none()), T0.plusSeconds(125));

        var job = Job.of(done);

        assertThat(job.phases())
                .containsExactly(
                        new JobPhase("queued", T0, T0.plusSeconds(5), 5L),
                        new JobPhase("provisioning", T0.plusSeconds(5), T0.plusSeconds(65), 60L),
                        new JobPhase("running", T0.plusSeconds(65), T0.plusSeconds(125), 60L));
        assertThat(job.durationSeconds()).isEqualTo(125);
        assertThat(Job.of(CREATED).phases()).containsExactly(new JobPhase("queued", T0, null, null));
        assertThat(Job.of(CREATED).durationSeconds()).isNull();
    }

    @Test
    void showsWhatTheJobIsAboutWithTheNamesKnown() {
        var backup = JobRecord.unknown(ID)
                .apply(
                        new JobCreated(
                                ID, JobKind.EBS_BACKUP, "vlt-1", "aws:ebs:1:us-east-1:vol-1", null, "pol-1", "run-1"),
                        T0);
        JobNames names = new JobNames() {
            @Override
            public @org.jspecify.annotations.Nullable String vaultName(String vaultId) {
                return "prod-" + vaultId;
            }

            @Override
            public @org.jspecify.annotations.Nullable String assetName(String assetId) {
                return null;
            }
        };

        var job = Job.of(backup, names);

        assertThat(job.vaultName()).isEqualTo("prod-vlt-1");
        assertThat(job.assetName()).isNull();
        assertThat(job.policyId()).isEqualTo("pol-1");
        assertThat(job.runId()).isEqualTo("run-1");
    }
}
