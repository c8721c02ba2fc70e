package io.cloudconnector.jobstatus.job;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cloudconnector.common.web.PageRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The jobs that reads are served from, kept current by the events this task applies: every stored
 * change lands here at once and reaches the open streams through {@link JobUpdates}.
 *
 * <p>Other tasks of the service consume events from the same inbox, so a running job may change
 * without this task hearing of it; a cached running job older than {@code refresh-after} is therefore
 * re-read from the table in the background (once at a time per job) while the read answers from memory.
 * Finished jobs never change and are never re-read. A version only ever replaces an older one.
 *
 * <p>Every created job it takes also reaches the {@link JobListView} that lists are served from; the warm-up loads
 * that view, and {@link #syncListed} keeps it current with what other tasks applied.
 */
@Component
class JobCache implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobCache.class);
    /** The longest a cached running job goes without being re-read. */
    static final Duration MAX_REFRESH_INTERVAL = Duration.ofMinutes(1);

    private record Entry(JobRecord job, Instant checkedAt) {}

    private final Cache<String, Entry> entries;
    private final JobRepository repository;
    private final JobUpdates updates;
    private final JobsProperties properties;
    private final Clock clock;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("job-list-sync").factory());
    private final JobListView view;
    private final NameDirectory names;
    /** When the list view was last read whole from the table (its load counts). */
    private volatile Instant lastReload = Instant.MIN;

    JobCache(
            JobRepository repository,
            JobUpdates updates,
            JobListView view,
            NameDirectory names,
            JobsProperties properties,
            Clock clock) {
        this.repository = repository;
        this.view = view;
        this.names = names;
        this.updates = updates;
        this.properties = properties;
        this.clock = clock;
        this.entries = Caffeine.newBuilder().maximumSize(properties.cacheSize()).build();
    }

    /** The job from memory, or from the table when it is not cached. */
    Optional<JobRecord> find(String id) {
        var entry = entries.getIfPresent(id);
        if (entry == null) {
            return repository.find(id).map(this::offer);
        }
        if (due(entry, clock.instant())) {
            refreshInBackground(id);
        }
        return Optional.of(entry.job());
    }

    /** The cached version of the job, if any; never reads the table. */
    Optional<JobRecord> peek(String id) {
        return Optional.ofNullable(entries.getIfPresent(id)).map(Entry::job);
    }

    /**
     * Takes a version of a job that was just read or stored and returns the newest one known: it
     * replaces the cached one only if it is newer, and then the job's subscribers hear of it.
     */
    JobRecord offer(JobRecord job) {
        Instant now = clock.instant();
        var advanced = new boolean[1];
        var kept = entries.asMap().compute(job.id(), (id, current) -> {
            if (current == null || job.version() > current.job().version()) {
                advanced[0] = true;
                return new Entry(job, now);
            }
            // Not newer: what is cached is confirmed current as of now.
            return job.version() == current.job().version() ? new Entry(current.job(), now) : current;
        });
        if (advanced[0]) {
            view.offer(job);
            updates.publish(job);
        }
        return kept.job();
    }

    /**
     * Loads the newest jobs, up to the cache's size, in the background once the service is ready: a task
     * that just started then serves reads from memory at once instead of sending each first read to the
     * table. Jobs already cached (by events or reads meanwhile) are newer and stay. The same jobs load the
     * {@link JobListView}; once they are in, it serves lists, and {@link #syncListed} runs every {@code list-sync}.
     * The names of their vaults and assets are read with them, in batches, so that their first reads need not wait.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        try {
            refresher.execute(() -> {
                long started = System.nanoTime();
                int loaded = 0;
                String token = null;
                try {
                    do {
                        var page = repository.list(new JobFilter(
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new PageRequest(PageRequest.MAX_LIMIT, token)));
                        for (var job : page.items()) {
                            entries.asMap().putIfAbsent(job.id(), new Entry(job, clock.instant()));
                            view.offer(job);
                        }
                        List<String> named = new ArrayList<>();
                        for (var job : page.items()) {
                            if (job.vaultId() != null) {
                                named.add(job.vaultId());
                            }
                            if (job.assetId() != null) {
                                named.add(job.assetId());
                            }
                        }
                        names.preload(named);
                        loaded += page.items().size();
                        token = page.nextPageToken();
                    } while (token != null && loaded < properties.cacheSize());
                    // Every listed job from where the read stopped up is in the view now (and what events brought).
                    view.loadedDownTo(token == null ? JobListView.EVERYTHING : JobFilter.pageTokenJobId(token));
                    lastReload = clock.instant();
                    long period = properties.listSync().toMillis();
                    syncer.scheduleWithFixedDelay(this::syncListed, period, period, TimeUnit.MILLISECONDS);
                    log.info(
                            "Warmed the job cache with {} jobs in {} ms",
                            loaded,
                            (System.nanoTime() - started) / 1_000_000);
                } catch (RuntimeException e) {
                    log.warn("Stopped warming the job cache after {} jobs: {}", loaded, e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down before the service was ready
        }
    }

    /**
     * Brings into the list view what other tasks applied (several tasks share one inbox, each event reaches one of
     * them): the jobs created in the last {@code list-sync-window} as the listing index has them — or, once every
     * {@code list-reload}, every job the view covers, so that a job whose creation reached another task late shows
     * too — and every unfinished job the view holds that is due for a re-read (as {@link #find} would re-read it).
     * Also drops the jobs past their retention from the view. Never throws: the next run tries again.
     */
    void syncListed() {
        try {
            Instant now = clock.instant();
            boolean reload = !now.isBefore(lastReload.plus(properties.listReload()));
            Instant from = reload ? null : now.minus(properties.listSyncWindow());
            String floor = view.covers().orElse(JobListView.EVERYTHING);
            String token = null;
            int read = 0;
            do {
                var page = repository.list(new JobFilter(
                        null, null, null, null, null, from, null, new PageRequest(PageRequest.MAX_LIMIT, token)));
                page.items().forEach(this::offer);
                read += page.items().size();
                token = page.nextPageToken();
            } while (token != null
                    && JobFilter.pageTokenJobId(token).compareTo(floor) > 0
                    && read < properties.cacheSize());
            if (reload) {
                lastReload = now;
            }
            for (String id : view.unfinished()) {
                var entry = entries.getIfPresent(id);
                if (entry == null || due(entry, now)) {
                    refreshInBackground(id);
                }
            }
            view.dropExpired(now, properties.retention());
        } catch (RuntimeException e) {
            log.warn("Cannot re-read the newest jobs for the lists: {}", e.getMessage());
        }
    }

    /**
     * Re-reads, in the background, every cached running job not checked for {@code refresh-after}: what
     * another task applied then reaches this task's subscribers too. Called by the open dashboard feeds.
     */
    void refreshRunning() {
        Instant now = clock.instant();
        entries.asMap().forEach((id, entry) -> {
            if (due(entry, now)) {
                refreshInBackground(id);
            }
        });
    }

    /**
     * Whether a cached job should be re-read: never when finished; a running one after
     * {@code refresh-after}, or after a tenth of the time it had not changed when last checked if that is
     * longer (at most {@link #MAX_REFRESH_INTERVAL}). A job that reports progress every second is
     * re-checked every second; one that sat still for an hour (waiting for compute, or stuck) is not
     * re-read from the table on every poll of it.
     */
    private boolean due(Entry entry, Instant now) {
        if (entry.job().finished()) {
            return false;
        }
        Duration interval = properties.refreshAfter();
        Instant changed = entry.job().updatedAt();
        if (changed != null) {
            Duration quiet = Duration.between(changed, entry.checkedAt()).dividedBy(10);
            if (quiet.compareTo(interval) > 0) {
                interval = quiet.compareTo(MAX_REFRESH_INTERVAL) > 0 ? MAX_REFRESH_INTERVAL : quiet;
            }
        }
        return !now.isBefore(entry.checkedAt().plus(interval));
    }

    private void refreshInBackground(String id) {
        if (!refreshing.add(id)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    repository.find(id).ifPresent(this::offer);
                } catch (RuntimeException e) {
                    log.warn("Cannot re-read job {}: {}", id, e.getMessage());
                } finally {
                    refreshing.remove(id);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            refreshing.remove(id); // shutting down
        }
    }

    @Override
    public void destroy() {
        syncer.shutdownNow();
        refresher.shutdownNow();
    }
}
