package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.integrity.vault.VaultRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode (the emulator runs no Batch job): scans run in this process on a small fixed pool with a
 * bounded queue, through the same {@link ScanExecution} a Batch worker uses.
 */
final class LocalScanDispatcher implements ScanDispatcher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalScanDispatcher.class);
    private static final int QUEUE = 100;

    private final ScanExecution execution;
    private final ScanCompletion completion;
    private final ScanStore store;
    private final ExecutorService pool;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(AtomicBoolean cancelled, Future<?> future) {}

    LocalScanDispatcher(ScanExecution execution, ScanCompletion completion, ScanStore store, int slots) {
        this.execution = execution;
        this.completion = completion;
        this.store = store;
        this.pool = new ThreadPoolExecutor(
                slots,
                slots,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("local-scan-", 0).factory());
    }

    @Override
    public void dispatch(ScanJob job, VaultRecord vault) {
        var cancelled = new AtomicBoolean();
        var reporter = execution.reporter(job.id());
        try {
            var future = pool.submit(() -> run(job, vault, reporter, cancelled));
            running.put(job.id(), new Running(cancelled, future));
        } catch (RejectedExecutionException e) {
            store.saveJob(job.with(ScanJob.State.FAILED));
            reporter.failed("scan-queue-full", QUEUE + " scans are waiting already; try again later");
        }
    }

    private void run(ScanJob job, VaultRecord vault, JobReporter reporter, AtomicBoolean cancelled) {
        try {
            if (cancelled.get()) {
                return;
            }
            store.saveJob(job.with(ScanJob.State.RUNNING));
            var report = execution.run(
                    new ScanExecution.Order(
                            job.id(),
                            vault.id(),
                            vault.kmsKeyArn(),
                            job.recoveryPointId(),
                            job.previousRecoveryPointId()),
                    reporter,
                    cancelled::get);
            completion.complete(job, report.verdict(), ScanCompletion.body(report));
        } catch (RecoveryPointScanner.CancelledException e) {
            store.saveJob(job.with(ScanJob.State.CANCELLED));
            reporter.cancelled();
        } catch (ScanExecution.Failure e) {
            log.warn("Scan job {} failed: {}", job.id(), e.getMessage());
            store.saveJob(job.with(ScanJob.State.FAILED));
            reporter.failed(e.code, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Scan job {} failed", job.id(), e);
            store.saveJob(job.with(ScanJob.State.FAILED));
            reporter.failed("scan-failed", "The scan failed: " + e.getMessage());
        } finally {
            running.remove(job.id());
        }
    }

    @Override
    public void cancel(ScanJob job) {
        var run = running.get(job.id());
        if (run == null) {
            return;
        }
        run.cancelled().set(true);
        if (run.future().cancel(false)) {
            // Never started: nobody else will say so.
            running.remove(job.id());
            store.saveJob(job.with(ScanJob.State.CANCELLED));
            execution.reporter(job.id()).cancelled();
        }
    }

    @Override
    public void close() {
        running.values().forEach(r -> r.cancelled().set(true));
        pool.shutdownNow();
    }
}
