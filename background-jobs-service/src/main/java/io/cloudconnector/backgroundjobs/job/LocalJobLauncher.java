package io.cloudconnector.backgroundjobs.job;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode: runs jobs on a bounded executor in this service, with the same {@link JobRunner} a Batch worker
 * uses. A full queue leaves the job queued; the reconciler offers it again later.
 */
final class LocalJobLauncher implements JobLauncher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalJobLauncher.class);

    private final JobRunner runner;
    private final ThreadPoolExecutor executor;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    LocalJobLauncher(JobRunner runner, int threads, int queue) {
        this.runner = runner;
        var counter = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
                    var t = new Thread(r, "local-job-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void launch(JobRecord job) {
        if (!pending.add(job.id())) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    // A run that holds the job (a requeued job whose dead run's lease still holds) is waited out,
                    // as a Batch worker does; a queued or lapsed job is claimed at once.
                    // Taken up now: the job's queued phase ends here.
                    runner.runWhenFree(job.id());
                } catch (RuntimeException e) {
                    log.error("Job {} could not be run: {}", job.id(), e.getMessage(), e);
                } finally {
                    pending.remove(job.id());
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(job.id());
            log.warn("Job {} stays queued: the local executor is full", job.id());
        }
    }

    @Override
    public boolean launched(JobRecord job) {
        return pending.contains(job.id());
    }

    @Override
    public void withdraw(JobRecord job) {
        // A queued run finds the job cancelled when it claims it, and does nothing.
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
