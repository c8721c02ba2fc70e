package io.cloudconnector.common.job;

import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCounter;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobPhaseTiming;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.messaging.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job events of one running job, the one way every service publishes them.
 *
 * <p>{@code JobProgressed} is throttled: {@link #progressed} sends at most one report per interval (default one
 * second), and none while an earlier report is still being sent, so a job's workers never wait on the bus; but
 * the report that reaches the total always goes out. {@link #report} sends whatever the interval (the figures at
 * the end of a phase) and {@link #finish} sends the latest figures if they were not reported yet. The same
 * figures are never reported twice in a row. The sequence is the report's time in milliseconds, bumped past the
 * previous one: it grows within a run and from one run of the job to the next (a retried worker's reports come
 * later), so the job-status service never moves a job backwards. Progress is informative: a report the bus
 * refuses is logged, never thrown, and the next report carries the figures anyway.
 *
 * <p>The lifecycle events ({@link #started}, {@link #succeeded}, {@link #failed}, {@link #cancelled}) are sent on
 * the calling thread and their failures are thrown: whether a lost lifecycle event may fail the job is the
 * caller's decision.
 *
 * <p>Progress counts bytes unless the job's owner names another unit with {@link #unit} before it starts (a
 * discovery counts assets, the account checks count checks); {@link #secondary} adds a second counter that goes
 * out with the reports (a scan counts files as well as bytes).
 *
 * <p>{@link #phase} records a finished phase of the run with its duration ({@link JobPhaseTiming}); it goes out
 * with the next report (throttled as progress is, so quick phases share one), and {@link #finish} sends the phases
 * not reported yet. Every report carries all the phases recorded so far, so a lost report loses none and a
 * consumer that deduplicates them by name and start sees each once.
 */
public final class JobReporter {

    /** The longest a job goes without a progress report while it makes progress. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(JobReporter.class);

    private final EventPublisher events;
    private final Clock clock;
    private final String jobId;
    private final long intervalMillis;
    private final Executor sender;

    // Guarded by this.
    private long sequence;
    private long lastSentMillis = Long.MIN_VALUE / 2;
    private int sending;
    private long latestDone = -1;
    private long latestTotal;
    private long reportedDone = -1;
    private long reportedTotal;
    private @Nullable String unit;
    private @Nullable JobCounter secondary;
    private @Nullable JobCounter reportedSecondary;
    private final List<JobPhaseTiming> phases = new ArrayList<>();
    private int reportedPhases;

    /** Reports once a second at most, sent on the calling thread. */
    public JobReporter(EventPublisher events, Clock clock, String jobId) {
        this(events, clock, jobId, DEFAULT_INTERVAL, Runnable::run);
    }

    /** Reports once per {@code interval} at most, sent on {@code sender} (never on the caller's thread, then). */
    public JobReporter(EventPublisher events, Clock clock, String jobId, Duration interval, Executor sender) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("The progress interval must not be negative, was " + interval);
        }
        this.events = events;
        this.clock = clock;
        this.jobId = jobId;
        this.intervalMillis = interval.toMillis();
        this.sender = sender;
    }

    /** The job this reporter speaks for. */
    public String jobId() {
        return jobId;
    }

    /**
     * What the job's progress counts ({@link io.cloudconnector.common.event.ProgressUnits}), for {@code JobStarted}
     * and every {@code JobProgressed}; bytes unless set. Set it before {@link #started}.
     */
    public synchronized JobReporter unit(String unit) {
        this.unit = Objects.requireNonNull(unit, "unit");
        return this;
    }

    /**
     * A second counter ({@code done} of {@code total} {@code unit}), sent with the next progress report: it
     * changes nothing on its own, so set it before the main figures that go with it.
     */
    public synchronized void secondary(String unit, long done, long total) {
        secondary = new JobCounter(unit, done, Math.max(total, done));
    }

    /**
     * Progress, throttled: {@code done} of {@code total} (bytes, or whatever the job counts; a negative total is
     * unknown). Concurrent workers may call in any order: the highest {@code done} seen is what gets reported.
     */
    public void progressed(long done, long total) {
        JobProgressed report;
        synchronized (this) {
            latestDone = Math.max(latestDone, done);
            latestTotal = total;
            long now = clock.millis();
            boolean complete = total >= 0 && latestDone >= total;
            if (unchanged() || !complete && (sending > 0 || now - lastSentMillis < intervalMillis)) {
                return;
            }
            report = claim(now);
        }
        send(report);
    }

    /** Progress reported now, whatever the interval: the figures at the end of a phase. */
    public void report(long done, long total) {
        JobProgressed report;
        synchronized (this) {
            latestDone = done;
            latestTotal = total;
            if (unchanged()) {
                return;
            }
            report = claim(clock.millis());
        }
        send(report);
    }

    /** Reports the latest figures and phases if they have not been reported yet (the end of the work). */
    public void finish() {
        JobProgressed report;
        synchronized (this) {
            if (latestDone < 0 && phases.size() == reportedPhases || unchanged()) {
                return;
            }
            report = claim(clock.millis());
        }
        send(report);
    }

    /**
     * A finished phase of the run, reported with the latest figures (none yet: 0 of 0) and every phase recorded
     * before it — throttled as {@link #progressed} is (a phase's report waits for the interval, and for a report
     * still being sent), so that a run's quick phases go out together; {@link #finish} sends the ones not reported.
     */
    public void phase(JobPhaseTiming phase) {
        JobProgressed report;
        synchronized (this) {
            phases.add(Objects.requireNonNull(phase, "phase"));
            long now = clock.millis();
            if (sending > 0 || now - lastSentMillis < intervalMillis) {
                return;
            }
            report = claim(now);
        }
        send(report);
    }

    /** The phases recorded so far, in the order they were recorded. */
    public synchronized List<JobPhaseTiming> phases() {
        return List.copyOf(phases);
    }

    /** Publishes {@code JobStarted}. */
    public void started() {
        String unit;
        synchronized (this) {
            unit = this.unit;
        }
        events.publish(new JobStarted(jobId, null, unit), jobId);
    }

    /** Publishes {@code JobSucceeded}. */
    public void succeeded(JobResult result) {
        events.publish(new JobSucceeded(jobId, result), jobId);
    }

    /** Publishes {@code JobFailed} with a failure code and a message a tenant can act on. */
    public void failed(String code, String message) {
        events.publish(new JobFailed(jobId, code, message), jobId);
    }

    /** Publishes {@code JobCancelled}. */
    public void cancelled() {
        events.publish(new JobCancelled(jobId), jobId);
    }

    private boolean unchanged() {
        return latestDone == reportedDone
                && latestTotal == reportedTotal
                && Objects.equals(secondary, reportedSecondary)
                && phases.size() == reportedPhases;
    }

    private JobProgressed claim(long now) {
        lastSentMillis = now;
        sequence = Math.max(sequence + 1, now);
        reportedDone = latestDone;
        reportedTotal = latestTotal;
        reportedSecondary = secondary;
        reportedPhases = phases.size();
        sending++;
        long done = Math.max(0, latestDone);
        return new JobProgressed(
                jobId, sequence, done, Math.max(latestTotal, done), unit, secondary, List.copyOf(phases));
    }

    private void send(JobProgressed report) {
        try {
            sender.execute(() -> publish(report));
        } catch (RuntimeException e) {
            // The sender is shutting down (the job ends): the report is not needed any more.
            log.debug("Progress of job {} not sent: {}", jobId, e.toString());
            done();
        }
    }

    private void publish(JobProgressed report) {
        try {
            events.publish(report, jobId);
        } catch (RuntimeException e) {
            log.warn("Progress of job {} not published: {}", jobId, e.toString());
        } finally {
            done();
        }
    }

    private synchronized void done() {
        sending--;
    }
}
