package io.cloudconnector.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCounter;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobPhaseTiming;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.ProgressUnits;
import io.cloudconnector.common.messaging.EventPublishException;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job events: progress at most once per interval with a growing sequence, the end never lost, the bus never in the way. */
class JobReporterTests {

    private static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final EventPublisher events = mock(EventPublisher.class);
    private final List<ConnectorEvent> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordWhatIsPublished() {
        willAnswer(invocation -> {
                    sent.add(invocation.getArgument(0));
                    return null;
                })
                .given(events)
                .publish(any(), eq(JOB));
    }

    private JobReporter reporter() {
        return new JobReporter(events, clock, JOB);
    }

    private List<JobProgressed> reports() {
        return sent.stream()
                .filter(JobProgressed.class::isInstance)
                .map(JobProgressed.class::cast)
                .toList();
    }

    @Test
    void sendsAtMostOneReportPerInterval() {
        var reporter = reporter();

        reporter.progressed(1, 10);
        reporter.progressed(2, 10);
        clock.advance(Duration.ofMillis(999));
        reporter.progressed(3, 10);
        clock.advance(Duration.ofMillis(1));
        reporter.progressed(4, 10);

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(1L, 4L);
        assertThat(reports()).extracting(JobProgressed::bytesTotal).containsOnly(10L);
    }

    @Test
    void phasesGoOutWithTheThrottledReportsEachCarryingAllThePhasesSoFarAndFinishSendsTheRest() {
        var reporter = reporter();
        var queued = new JobPhaseTiming("queued", clock.instant(), 40);
        var snapshot = new JobPhaseTiming("snapshot", clock.instant().plusMillis(40), 800);
        var read = new JobPhaseTiming("read", clock.instant().plusMillis(840), 200);

        reporter.phase(queued);
        reporter.progressed(5, 10);
        reporter.phase(snapshot);
        clock.advance(Duration.ofSeconds(1));
        reporter.report(10, 10);
        reporter.phase(read);
        reporter.finish();
        reporter.finish();

        // The first phase goes out at once; the progress and the phase right after it wait for the interval.
        assertThat(reports())
                .extracting(JobProgressed::phases)
                .containsExactly(List.of(queued), List.of(queued, snapshot), List.of(queued, snapshot, read));
        // Before any figures, a phase's report says 0 of 0; after, it carries the latest ones.
        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(0L, 10L, 10L);
        assertThat(reports()).extracting(JobProgressed::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(reporter.phases()).containsExactly(queued, snapshot, read);
    }

    @Test
    void aPhaseRecordedWhileAReportIsBeingSentGoesOutWithTheFinish() {
        List<Runnable> queue = new ArrayList<>();
        var reporter = new JobReporter(events, clock, JOB, Duration.ofSeconds(1), queue::add);
        var phase = new JobPhaseTiming("read", clock.instant(), 5);

        reporter.progressed(1, 10);
        reporter.phase(phase);
        queue.forEach(Runnable::run);
        queue.clear();
        reporter.finish();
        queue.forEach(Runnable::run);

        assertThat(reports()).extracting(JobProgressed::phases).containsExactly(List.of(), List.of(phase));
    }

    @Test
    void finishSendsPhasesEvenWithoutFigures() {
        var reporter = reporter();
        var queued = new JobPhaseTiming("queued", clock.instant(), 5);
        var started = new JobPhaseTiming("worker-start", clock.instant().plusMillis(5), 7);
        reporter.phase(queued);
        reporter.phase(started);

        reporter.finish();

        assertThat(reports())
                .extracting(JobProgressed::phases)
                .containsExactly(List.of(queued), List.of(queued, started));
        assertThat(reports()).extracting(JobProgressed::bytesDone).containsOnly(0L);
    }

    @Test
    void theUnitGoesOutWithTheStartAndEveryReport() {
        var reporter = reporter().unit(ProgressUnits.ASSETS);

        reporter.started();
        reporter.progressed(3, 10);
        reporter.report(10, 10);

        assertThat(sent.getFirst()).isEqualTo(new JobStarted(JOB, null, "assets"));
        assertThat(reports()).extracting(JobProgressed::unit).containsExactly("assets", "assets");
    }

    @Test
    void withoutAUnitTheEventsCarryNoneAndCountBytes() {
        var reporter = reporter();

        reporter.started();
        reporter.report(1, 2);

        assertThat(sent.getFirst()).isEqualTo(new JobStarted(JOB, null));
        assertThat(reports().getFirst()).isEqualTo(new JobProgressed(JOB, clock.millis(), 1, 2));
    }

    @Test
    void aSecondCounterGoesOutWithTheNextReportAndAloneChangesTheFigures() {
        var reporter = reporter();

        reporter.secondary("files", 0, 3);
        reporter.report(0, 300);
        reporter.secondary("files", 1, 3);
        reporter.report(0, 300);
        reporter.report(0, 300);

        assertThat(reports())
                .extracting(JobProgressed::secondary)
                .containsExactly(new JobCounter("files", 0, 3), new JobCounter("files", 1, 3));
    }

    @Test
    void anotherIntervalIsHonoured() {
        var reporter = new JobReporter(events, clock, JOB, Duration.ofSeconds(5), Runnable::run);

        reporter.progressed(1, 10);
        clock.advance(Duration.ofSeconds(4));
        reporter.progressed(2, 10);
        clock.advance(Duration.ofSeconds(1));
        reporter.progressed(3, 10);

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(1L, 3L);
    }

    @Test
    void theReportThatReachesTheTotalIsNeverThrottledNorRepeated() {
        var reporter = reporter();

        reporter.progressed(5, 100);
        reporter.progressed(100, 100);
        reporter.report(100, 100);
        reporter.finish();

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(5L, 100L);
    }

    @Test
    void aPhaseEndIsReportedWhateverTheIntervalWithAHigherSequence() {
        var reporter = reporter();

        reporter.progressed(5, 10);
        reporter.report(9, 10);

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(5L, 9L);
        assertThat(reports().get(1).sequence()).isGreaterThan(reports().get(0).sequence());
    }

    @Test
    void finishSendsTheLatestFiguresOnceIfTheyWereThrottled() {
        var reporter = reporter();

        reporter.progressed(5, 100);
        reporter.progressed(30, 100);
        reporter.finish();
        reporter.finish();

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(5L, 30L);
    }

    @Test
    void finishWithoutProgressSendsNothing() {
        reporter().finish();

        assertThat(sent).isEmpty();
    }

    @Test
    void concurrentWorkersReportingOutOfOrderNeverMoveTheCountBack() {
        var reporter = reporter();

        reporter.progressed(50, 100);
        reporter.progressed(40, 100); // a slower worker's older figure
        clock.advance(Duration.ofSeconds(1));
        reporter.progressed(45, 100);

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(50L);
    }

    @Test
    void aLaterRunOfTheJobReportsHigherSequencesThanAnEarlierOne() {
        var first = reporter();
        first.progressed(8, 10);
        first.report(9, 10);
        clock.advance(Duration.ofSeconds(30));

        reporter().progressed(1, 10);

        assertThat(reports()).extracting(JobProgressed::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(reports().getLast().sequence()).isEqualTo(clock.millis());
    }

    @Test
    void anUnknownTotalIsReportedAsWhatIsDone() {
        reporter().progressed(7, -1);

        assertThat(reports().getFirst().bytesTotal()).isEqualTo(7);
    }

    @Test
    void aReportTheBusRefusedDoesNotStopTheJobAndTheNextOneCarriesOn() {
        var reporter = reporter();
        willThrow(new EventPublishException("refused"))
                .given(events)
                .publish(eq(new JobProgressed(JOB, clock.millis(), 0, 10)), any());

        reporter.progressed(0, 10);
        reporter.progressed(10, 10);

        verify(events).publish(new JobProgressed(JOB, clock.millis(), 0, 10), JOB);
        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(10L);
    }

    @Test
    void workersDoNotWaitForAReportBeingPublished() throws Exception {
        var reporter = reporter();
        var publishing = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        willAnswer(invocation -> {
                    publishing.countDown();
                    release.await();
                    sent.add(invocation.getArgument(0));
                    return null;
                })
                .given(events)
                .publish(eq(new JobProgressed(JOB, clock.millis(), 1, 10)), any());
        var worker = Thread.ofVirtual().start(() -> reporter.progressed(1, 10));
        publishing.await();

        clock.advance(Duration.ofSeconds(5));
        reporter.progressed(5, 10); // returns at once: the first report is still on its way
        release.countDown();
        worker.join();
        reporter.finish();

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(1L, 5L);
    }

    @Test
    void reportsGoOutOnTheSenderNotOnTheCallersThread() {
        List<Runnable> queued = new ArrayList<>();
        Executor sender = queued::add;
        var reporter = new JobReporter(events, clock, JOB, Duration.ofSeconds(1), sender);

        reporter.progressed(1, 10);
        assertThat(sent).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        reporter.progressed(2, 10); // the first is still queued: skipped
        reporter.report(10, 10); // the end of a phase is not skipped
        queued.forEach(Runnable::run);

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(1L, 10L);
    }

    @Test
    void aSenderThatNoLongerTakesWorkDoesNotStopTheJobNorLaterReports() {
        boolean[] refuse = {true};
        Executor sender = task -> {
            if (refuse[0]) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            task.run();
        };
        var reporter = new JobReporter(events, clock, JOB, Duration.ofSeconds(1), sender);

        reporter.progressed(1, 10);
        refuse[0] = false;
        clock.advance(Duration.ofSeconds(1));
        reporter.progressed(2, 10);

        assertThat(reports()).extracting(JobProgressed::bytesDone).containsExactly(2L);
    }

    @Test
    void publishesTheLifecycleEventsAndThrowsWhenTheBusRefusesThem() {
        var reporter = reporter();
        var result = new JobResult(null, null, null, null, "rep-1");

        reporter.started();
        reporter.succeeded(result);
        reporter.failed("checks-failed", "The account checks failed");
        reporter.cancelled();

        assertThat(sent)
                .containsExactly(
                        new JobStarted(JOB, null),
                        new JobSucceeded(JOB, result),
                        new JobFailed(JOB, "checks-failed", "The account checks failed"),
                        new JobCancelled(JOB));
        willThrow(new EventPublishException("refused")).given(events).publish(eq(new JobStarted(JOB, null)), any());
        assertThatThrownBy(reporter::started).isInstanceOf(EventPublishException.class);
    }
}
