package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.scalez.model.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns the engine's frequent progress calls into {@code JobProgressed} events, at most one per interval. The
 * sequence is the report's time in milliseconds, bumped past the previous one: it grows within a run and from a
 * run to the next (a replaced worker's reports come later), so jobstatus never moves a job backwards.
 * Events are sent on {@code sender}, never on the engine's threads.
 */
final class ProgressReporter implements ProgressListener {

    private final String jobId;
    private final Clock clock;
    private final long intervalMillis;
    private final Executor sender;
    private final Consumer<JobProgressed> publish;
    private final AtomicLong lastSent = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong sequence = new AtomicLong();

    ProgressReporter(String jobId, Clock clock, Duration interval, Executor sender, Consumer<JobProgressed> publish) {
        this.jobId = jobId;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.sender = sender;
        this.publish = publish;
    }

    @Override
    public void progressed(long bytesDone, long bytesTotal) {
        long now = clock.millis();
        long last = lastSent.get();
        if (now - last < intervalMillis || !lastSent.compareAndSet(last, now)) {
            return;
        }
        send(bytesDone, bytesTotal, now);
    }

    /** Reports regardless of the interval: the final figures of a phase. */
    void report(long bytesDone, long bytesTotal) {
        long now = clock.millis();
        lastSent.set(now);
        send(bytesDone, bytesTotal, now);
    }

    private void send(long bytesDone, long bytesTotal, long now) {
        long next = sequence.updateAndGet(previous -> Math.max(previous + 1, now));
        var event = new JobProgressed(jobId, next, bytesDone, Math.max(bytesTotal, bytesDone));
        sender.execute(() -> publish.accept(event));
    }
}
