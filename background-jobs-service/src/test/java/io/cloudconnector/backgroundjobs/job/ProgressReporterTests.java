package io.cloudconnector.backgroundjobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress events: at most one per interval, with a sequence that only grows, within a run and across runs. */
class ProgressReporterTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final List<JobProgressed> sent = new ArrayList<>();

    private ProgressReporter reporter() {
        return new ProgressReporter("j-1", clock, Duration.ofSeconds(1), Runnable::run, sent::add);
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

        assertThat(sent).extracting(JobProgressed::bytesDone).containsExactly(1L, 4L);
        assertThat(sent).extracting(JobProgressed::bytesTotal).containsOnly(10L);
    }

    @Test
    void aFinalReportIsSentWhateverTheIntervalWithAHigherSequence() {
        var reporter = reporter();

        reporter.progressed(5, 10);
        reporter.report(10, 10);

        assertThat(sent).extracting(JobProgressed::bytesDone).containsExactly(5L, 10L);
        assertThat(sent.get(1).sequence()).isGreaterThan(sent.get(0).sequence());
    }

    @Test
    void aLaterRunOfTheJobReportsHigherSequencesThanAnEarlierOne() {
        var first = reporter();
        first.progressed(8, 10);
        first.report(9, 10);
        clock.advance(Duration.ofSeconds(30));

        reporter().progressed(1, 10);

        assertThat(sent).extracting(JobProgressed::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anUnknownTotalIsReportedAsWhatIsDone() {
        reporter().progressed(7, -1);

        assertThat(sent.getFirst().bytesTotal()).isEqualTo(7);
    }
}
