package io.cloudconnector.jobstatus.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the open event streams of this task about every change of a job. A subscriber drains what
 * arrived since it last looked, so a slow client never holds up the inbox; on shutdown every
 * subscription ends, so that open streams close instead of holding up the graceful shutdown.
 */
@Component
class JobUpdates implements SmartLifecycle {

    private final Map<String, Set<Subscription>> byJob = new ConcurrentHashMap<>();
    private final Set<Subscription> toEverything = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    /** Changes of one job, from now on. */
    Subscription subscribe(String jobId) {
        var subscription = new Subscription(this, jobId);
        byJob.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
        closeIfStopped(subscription);
        return subscription;
    }

    /** Changes of every job, from now on. */
    Subscription subscribeToAll() {
        var subscription = new Subscription(this, null);
        toEverything.add(subscription);
        closeIfStopped(subscription);
        return subscription;
    }

    /** Hands a new version of a job to its subscribers. */
    void publish(JobRecord job) {
        var subscribers = byJob.get(job.id());
        if (subscribers != null) {
            subscribers.forEach(s -> s.offer(job));
        }
        toEverything.forEach(s -> s.offer(job));
    }

    private void closeIfStopped(Subscription subscription) {
        if (!running) {
            subscription.end();
        }
    }

    private void remove(Subscription subscription) {
        if (subscription.jobId == null) {
            toEverything.remove(subscription);
        } else {
            byJob.computeIfPresent(subscription.jobId, (id, set) -> {
                set.remove(subscription);
                return set.isEmpty() ? null : set;
            });
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        toEverything.forEach(Subscription::end);
        byJob.values().forEach(set -> set.forEach(Subscription::end));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown, which would otherwise wait for open streams. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** One stream's view of the changes; close it when the stream ends. */
    static final class Subscription implements AutoCloseable {

        private static final Object END = new Object();

        private final JobUpdates updates;
        private final @Nullable String jobId;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile boolean ended;

        private Subscription(JobUpdates updates, @Nullable String jobId) {
            this.updates = updates;
            this.jobId = jobId;
        }

        private void offer(JobRecord job) {
            queue.offer(job);
        }

        private void end() {
            ended = true;
            queue.offer(END);
        }

        /** Whether the service is shutting down; the stream should close. */
        boolean ended() {
            return ended;
        }

        /**
         * Waits up to {@code timeout} for changes, then returns the newest version of each job that
         * changed (in the order they first changed), or nothing if none did; superseded versions are
         * dropped, since each carries the whole job.
         */
        List<JobRecord> await(Duration timeout) throws InterruptedException {
            var first = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return List.of();
            }
            List<Object> arrived = new ArrayList<>();
            arrived.add(first);
            queue.drainTo(arrived);
            Map<String, JobRecord> newest = new LinkedHashMap<>();
            for (var item : arrived) {
                if (item instanceof JobRecord job) {
                    newest.merge(job.id(), job, (a, b) -> b.version() > a.version() ? b : a);
                }
            }
            return List.copyOf(newest.values());
        }

        @Override
        public void close() {
            updates.remove(this);
        }
    }
}
