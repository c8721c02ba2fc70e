package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.hash.ChunkHasher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A CPU worker pool with back-pressure: {@link #submit} blocks once {@code 3 x threads} tasks are in
 * flight, which bounds the chunk buffers alive at once whatever the input size.
 */
public final class Workers implements AutoCloseable {

    private final ExecutorService pool;
    private final ExecutorService io;
    private final Semaphore inFlight;
    private final int threads;
    private final AtomicReference<@Nullable CompletableFuture<Void>> warmingUp = new AtomicReference<>();

    public Workers(int threads, String name) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, factory(name));
        this.io = Executors.newFixedThreadPool(Math.max(2, threads), factory(name + "-io"));
        this.inFlight = new Semaphore(3 * threads);
    }

    private static java.util.concurrent.ThreadFactory factory(String name) {
        var counter = new AtomicInteger();
        return r -> {
            var t = new Thread(r, "scalez-" + name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Warms up what a backup runs per blob (sealing, hashing) on the I/O pool while it starts (see
     * Aead#warmUpSealing), when at least 256 MiB are ahead.
     */
    public void warmUpSealing(long bytesAhead) {
        // Two I/O threads, one each: the first task waits for both (see #awaitWarmUp).
        warmUp(bytesAhead, Aead::warmUpSealing, ChunkHasher::warmUp);
    }

    /** As {@link #warmUpSealing}, for what a restore runs per blob: opening (it never seals or hashes one). */
    public void warmUpOpening(long bytesAhead) {
        warmUp(bytesAhead, Aead::warmUpOpening);
    }

    // Below 256 MiB ahead a warm-up costs more CPU than it saves; a negative size is unknown. It runs while the
    // caller goes on setting up (index, parent, first reads); the first task waits for it (see #submit).
    void warmUp(long bytesAhead, Runnable... work) {
        if (bytesAhead < 0 || bytesAhead >= 256L << 20) {
            warmingUp.set(CompletableFuture.allOf(java.util.Arrays.stream(work)
                    .map(w -> CompletableFuture.runAsync(w, io))
                    .toArray(CompletableFuture[]::new)));
        }
    }

    /**
     * Waits for a warm-up in progress. Until it ends, a blob would run through crypto code that is not compiled
     * yet: opening 170 KB took 2.5 ms instead of 0.04 ms, and two workers doing so beside the warm-up made a
     * restore's decryption of 510 MB take 0.74-0.98 s instead of 0.40-0.45 s (performance.md).
     */
    private void awaitWarmUp() {
        var pending = warmingUp.getAndSet(null);
        if (pending != null) {
            try {
                pending.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                // Only time is lost: the tasks run the same code, uncompiled for longer.
            }
        }
    }

    public int threads() {
        return threads;
    }

    /** The pool for uploads and other blocking I/O. */
    public ExecutorService io() {
        return io;
    }

    /** Runs {@code task} on the pool, first waiting for a warm-up in progress and for a free slot. */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        awaitWarmUp();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScalezException("Interrupted");
        }
        try {
            return CompletableFuture.supplyAsync(task, pool).whenComplete((r, t) -> inFlight.release());
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** The result of a finished future, with the task's own exception rather than a wrapper. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ScalezException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        io.shutdownNow();
    }
}
