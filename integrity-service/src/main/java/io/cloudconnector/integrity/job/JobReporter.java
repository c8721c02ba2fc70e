package io.cloudconnector.integrity.job;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.messaging.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job events of one running job. {@code JobProgressed} goes out at most once a second, with a sequence
 * that only grows — also across a retried Batch attempt, because it starts from the clock's milliseconds.
 * Progress is best effort: a bus hiccup must not fail a scan, so it is logged, not thrown.
 */
public final class JobReporter {

    private static final Logger log = LoggerFactory.getLogger(JobReporter.class);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final EventPublisher events;
    private final Clock clock;
    private final String jobId;
    private long sequence;
    private Instant last = Instant.MIN;
    private long total;

    public JobReporter(EventPublisher events, Clock clock, String jobId) {
        this.events = events;
        this.clock = clock;
        this.jobId = jobId;
    }

    public void started() {
        publish(new JobStarted(jobId, null));
    }

    public synchronized void total(long bytes) {
        total = bytes;
        progress(0, true);
    }

    public synchronized void done(long bytes) {
        progress(bytes, bytes >= total);
    }

    private void progress(long bytes, boolean force) {
        var now = clock.instant();
        if (!force && now.isBefore(last.plus(INTERVAL))) {
            return;
        }
        last = now;
        sequence = Math.max(sequence + 1, clock.millis());
        try {
            events.publish(new JobProgressed(jobId, sequence, bytes, total), jobId);
        } catch (RuntimeException e) {
            log.warn("Progress of job {} not published: {}", jobId, e.getMessage());
        }
    }

    public void failed(String code, String message) {
        publish(new JobFailed(jobId, code, message));
    }

    public void cancelled() {
        publish(new JobCancelled(jobId));
    }

    private void publish(ConnectorEvent event) {
        events.publish(event, jobId);
    }
}
