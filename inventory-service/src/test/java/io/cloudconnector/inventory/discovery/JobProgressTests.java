package io.cloudconnector.inventory.discovery;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.messaging.EventPublishException;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobProgressTests {

    private static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";

    private final EventPublisher publisher = mock(EventPublisher.class);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final JobProgress progress = new JobProgress(JOB, publisher, clock);

    @Test
    void reportsAtMostOnceASecondWithAGrowingSequenceAndTheEndOnce() {
        progress.advanced(5, 100);
        progress.advanced(10, 100);
        clock.advance(Duration.ofMillis(999));
        progress.advanced(20, 100);
        clock.advance(Duration.ofMillis(1));
        progress.advanced(30, 100);
        progress.advanced(100, 100);
        progress.finish();
        progress.finish();

        var order = inOrder(publisher);
        order.verify(publisher).publish(new JobProgressed(JOB, 1, 5, 100), JOB);
        order.verify(publisher).publish(new JobProgressed(JOB, 2, 30, 100), JOB);
        order.verify(publisher).publish(new JobProgressed(JOB, 3, 100, 100), JOB);
        verifyNoMoreInteractions(publisher);
    }

    @Test
    void workersDoNotWaitForAReportBeingPublished() throws Exception {
        var publishing = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        org.mockito.BDDMockito.willAnswer(invocation -> {
            publishing.countDown();
            release.await();
            return null;
        }).given(publisher).publish(eq(new JobProgressed(JOB, 1, 1, 10)), any());
        var reporter = Thread.ofVirtual().start(() -> progress.advanced(1, 10));
        publishing.await();

        clock.advance(Duration.ofSeconds(5));
        progress.advanced(10, 10); // returns at once: the first report is still on its way
        release.countDown();
        reporter.join();
        progress.finish();

        var order = inOrder(publisher);
        order.verify(publisher).publish(new JobProgressed(JOB, 1, 1, 10), JOB);
        order.verify(publisher).publish(new JobProgressed(JOB, 2, 10, 10), JOB);
        verifyNoMoreInteractions(publisher);
    }

    @Test
    void aReportTheBusRefusedDoesNotStopTheJobAndTheNextOneCarriesOn() {
        willThrow(new EventPublishException("refused")).given(publisher).publish(eq(new JobProgressed(JOB, 1, 0, 10)), any());

        progress.advanced(0, 10);
        progress.advanced(10, 10);
        progress.finish();

        var order = inOrder(publisher);
        order.verify(publisher).publish(new JobProgressed(JOB, 1, 0, 10), JOB);
        order.verify(publisher).publish(new JobProgressed(JOB, 2, 10, 10), JOB);
    }
}
