package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobPhaseTiming;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobRecordTests {

    private static final String ID = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    /** A whole successful job's events, each with the time it happened. */
    private static final List<Map.Entry<ConnectorEvent, Instant>> LIFE = List.of(
            Map.entry(new JobCreated(ID, JobKind.EBS_BACKUP, "vlt-1", "aws:ebs:1:us-east-1:vol-1", null), T0),
            Map.entry(new JobProvisioning(ID), T0.plusSeconds(1)),
            Map.entry(new JobStarted(ID, 1000L), T0.plusSeconds(10)),
            Map.entry(new JobProgressed(ID, 1, 250, 1000), T0.plusSeconds(11)),
            Map.entry(new JobProgressed(ID, 2, 600, 1000), T0.plusSeconds(12)),
            Map.entry(new JobSucceeded(ID, new JobResult("rp-1", null, null, null, null)), T0.plusSeconds(13)));

    @Test
    void everyOrderOfTheSameEventsGivesTheSameJob() {
        Set<JobRecord> outcomes = new HashSet<>();
        for (var order : permutations(LIFE)) {
            outcomes.add(applyAll(order));
        }

        assertThat(outcomes).hasSize(1);
        var job = outcomes.iterator().next();
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.progress()).isEqualTo(new JobRecord.Progress(2, 600, 1000, T0.plusSeconds(12), null, null));
        assertThat(job.log())
                .extracting(JobLogEntry::type)
                .containsExactly("created", "provisioning", "started", "succeeded");
    }

    @Test
    void aDuplicateChangesNothing() {
        var job = applyAll(LIFE.subList(0, 4));

        for (var event : LIFE.subList(0, 4)) {
            assertThat(job.apply(event.getKey(), event.getValue())).isSameAs(job);
        }
    }

    @Test
    void aLateProgressReportNeverMovesTheJobBack() {
        var job = applyAll(LIFE.subList(0, 5));

        var late = job.apply(new JobProgressed(ID, 1, 250, 1000), T0.plusSeconds(20));

        assertThat(late).isSameAs(job);
        assertThat(late.progress().bytesDone()).isEqualTo(600);
    }

    @Test
    void theFirstFinalStateStays() {
        var failed = applyAll(LIFE.subList(0, 3))
                .apply(new JobFailed(ID, "kms-key-disabled", "Key k is disabled"), T0.plusSeconds(30));

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.apply(new JobSucceeded(ID, JobResult.none()), T0.plusSeconds(31)))
                .isSameAs(failed);
        assertThat(failed.apply(new JobCancelled(ID), T0.plusSeconds(31))).isSameAs(failed);
        assertThat(failed.apply(new JobCancelRequested(ID), T0.plusSeconds(31))).isSameAs(failed);
        assertThat(failed.apply(new JobProgressed(ID, 9, 900, 1000), T0.plusSeconds(32))
                        .state())
                .isEqualTo(JobState.FAILED);
        assertThat(failed.outcome().error()).isEqualTo(new JobError("kms-key-disabled", "Key k is disabled"));
        assertThat(failed.log().getLast())
                .isEqualTo(new JobLogEntry(T0.plusSeconds(30), "failed", "kms-key-disabled: Key k is disabled"));
    }

    @Test
    void theStateIsTheFurthestOneReached() {
        var queued = applyAll(LIFE.subList(0, 1));
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        assertThat(queued.apply(new JobProvisioning(ID), T0).state()).isEqualTo(JobState.PROVISIONING);
        // A progress report shows the job runs even if its JobStarted has not arrived yet.
        assertThat(queued.apply(new JobProgressed(ID, 1, 1, 2), T0).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aJobIsShownOnlyOnceItsCreationArrived() {
        var early = applyAll(List.of(LIFE.get(2), LIFE.get(3))).stored(T0.plusSeconds(11));

        assertThat(early.created()).isFalse();
        assertThat(early.visibleAt(T0.plusSeconds(12), RETENTION)).isFalse();
        // Kept only as long as a finished job would be, should its creation never come.
        assertThat(early.expiresAt(RETENTION)).isEqualTo(T0.plusSeconds(10).plus(RETENTION));

        var created = early.apply(LIFE.getFirst().getKey(), T0);
        assertThat(created.visibleAt(T0.plusSeconds(12), RETENTION)).isTrue();
        assertThat(created.expiresAt(RETENTION)).isNull();
    }

    @Test
    void aFinishedJobExpiresAfterTheRetention() {
        var done = applyAll(LIFE);

        assertThat(done.expiresAt(RETENTION)).isEqualTo(T0.plusSeconds(13).plus(RETENTION));
        assertThat(done.visibleAt(T0.plusSeconds(13).plus(RETENTION).minusSeconds(1), RETENTION))
                .isTrue();
        assertThat(done.visibleAt(T0.plusSeconds(13).plus(RETENTION), RETENTION))
                .isFalse();
    }

    @Test
    void aCancelRequestIsRecordedOnce() {
        var running = applyAll(LIFE.subList(0, 3));

        var requested = running.apply(new JobCancelRequested(ID), T0.plusSeconds(20));

        assertThat(requested.cancelRequestedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(requested.state()).isEqualTo(JobState.RUNNING);
        assertThat(requested.apply(new JobCancelRequested(ID), T0.plusSeconds(21)))
                .isSameAs(requested);
        assertThat(requested.apply(new JobCancelled(ID), T0.plusSeconds(22)).state())
                .isEqualTo(JobState.CANCELLED);
    }

    @Test
    void storingCountsVersions() {
        var first = applyAll(LIFE.subList(0, 1)).stored(T0);
        var second = first.apply(new JobProvisioning(ID), T0).stored(T0.plusSeconds(1));

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.updatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void eachPhaseIsLoggedOnceInTheOrderItBeganWhateverTheOrderAndCopiesOfTheReports() {
        var queued = new JobPhaseTiming("queued", T0, 40);
        var start = new JobPhaseTiming("worker-start", T0.plusMillis(40), 0);
        var snapshot = new JobPhaseTiming("snapshot", T0.plusMillis(40), 800);
        var read = new JobPhaseTiming("read", T0.plusMillis(840), 300);
        List<Map.Entry<ConnectorEvent, Instant>> events = List.of(
                Map.entry(new JobCreated(ID, JobKind.EBS_BACKUP, "vlt-1", "aws:ebs:1:us-east-1:vol-1", null), T0),
                Map.entry(new JobProgressed(ID, 1, 0, 0, null, null, List.of(queued)), T0.plusMillis(40)),
                Map.entry(
                        new JobProgressed(ID, 2, 0, 0, null, null, List.of(queued, start, snapshot)),
                        T0.plusMillis(840)),
                Map.entry(
                        new JobProgressed(ID, 3, 9, 9, null, null, List.of(queued, start, snapshot, read)),
                        T0.plusMillis(1140)),
                // The last report overtaken by the end: its phase is still logged.
                Map.entry(new JobSucceeded(ID, new JobResult("rp-1", null, null, null, null)), T0.plusMillis(1100)));
        Set<JobRecord> outcomes = new HashSet<>();
        for (var order : permutations(events)) {
            var doubled = new ArrayList<>(order);
            doubled.addAll(order);
            outcomes.add(applyAll(doubled));
        }

        assertThat(outcomes).hasSize(1);
        var log = outcomes.iterator().next().log();
        assertThat(log.stream().filter(e -> e.type().equals(JobLogEntry.PHASE)))
                .extracting(JobLogEntry::phase, JobLogEntry::time, JobLogEntry::millis)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("queued", T0, 40L),
                        org.assertj.core.groups.Tuple.tuple("worker-start", T0.plusMillis(40), 0L),
                        org.assertj.core.groups.Tuple.tuple("snapshot", T0.plusMillis(40), 800L),
                        org.assertj.core.groups.Tuple.tuple("read", T0.plusMillis(840), 300L));
        assertThat(log)
                .extracting(JobLogEntry::type)
                .containsExactly("created", "phase", "phase", "phase", "phase", "succeeded");
    }

    @Test
    void aReportWithNoNewPhaseChangesNothing() {
        var phase = new JobPhaseTiming("queued", T0, 40);
        var job = applyAll(LIFE.subList(0, 1))
                .apply(new JobProgressed(ID, 5, 0, 0, null, null, List.of(phase)), T0.plusSeconds(1));

        assertThat(job.apply(new JobProgressed(ID, 4, 0, 0, null, null, List.of(phase)), T0.plusSeconds(1)))
                .isSameAs(job);
    }

    private static JobRecord applyAll(List<Map.Entry<ConnectorEvent, Instant>> events) {
        var job = JobRecord.unknown(ID);
        for (var event : events) {
            job = job.apply(event.getKey(), event.getValue());
        }
        return job;
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            var rest = new ArrayList<>(items);
            var head = rest.remove(i);
            for (var tail : permutations(rest)) {
                var order = new ArrayList<T>();
                order.add(head);
                order.addAll(tail);
                result.add(order);
            }
        }
        return result;
    }
}
