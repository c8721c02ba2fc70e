package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.messaging.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a discovery job's progress as {@code JobProgressed}: at most once a second, with a sequence
 * number that grows with every report, and the final count by {@link #finish()}. Discovery has no bytes:
 * the two counters count assets (observations applied / to apply). Reporting never holds up the sweep's
 * workers: while one report is being published, the others' calls return at once.
 */
final class JobProgress implements Discovery.Progress {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(JobProgress.class);

    private final String jobId;
    private final EventPublisher publisher;
    private final Clock clock;
    private long sequence;
    private long reported = -1;
    private long latestDone;
    private long latestTotal;
    private boolean publishing;
    private @Nullable Instant reportedAt;

    JobProgress(String jobId, EventPublisher publisher, Clock clock) {
        this.jobId = jobId;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void advanced(long done, long total) {
        JobProgressed report;
        synchronized (this) {
            latestDone = Math.max(latestDone, done);
            latestTotal = total;
            Instant now = clock.instant();
            if (publishing || latestDone <= reported
                    || (reportedAt != null && now.isBefore(reportedAt.plus(MIN_INTERVAL)))) {
                return;
            }
            report = claim(now);
        }
        publish(report);
    }

    /** Reports the latest count if it has not been reported yet (the end of the sweep). */
    synchronized void finish() {
        if (latestDone > reported) {
            publish(claim(clock.instant()));
        }
    }

    private JobProgressed claim(Instant now) {
        publishing = true;
        reported = latestDone;
        reportedAt = now;
        return new JobProgressed(jobId, ++sequence, latestDone, latestTotal);
    }

    private void publish(JobProgressed report) {
        try {
            publisher.publish(report, jobId);
        } catch (RuntimeException e) {
            // Progress is informative; the job goes on, and the next report carries the count anyway.
            log.warn("Could not report progress of {}: {}", jobId, e.toString());
        } finally {
            synchronized (this) {
                publishing = false;
            }
        }
    }
}
