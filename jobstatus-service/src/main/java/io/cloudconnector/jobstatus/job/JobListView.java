package io.cloudconnector.jobstatus.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The newest created jobs in memory, by id (a ULID, so newest last), from which {@code GET /v1/jobs} serves its
 * pages without querying the table.
 *
 * <p>The view holds every listed job whose id is at least {@link #covers() covers}: the table's listing index was
 * read down to there when the task started ({@link JobCache#warmUp}), every version this task stores or reads
 * reaches it ({@link JobCache#offer}), and the jobs other tasks create and change reach it through the regular
 * re-read of the newest part of the index ({@link JobCache#syncListed}). When it holds more than
 * {@code cache-size} jobs the oldest leave and {@code covers} moves up; a page that reaches below it continues
 * from the table after the same id, so page tokens are the same whichever answers.
 */
@Component
class JobListView {

    /** What one page took from memory, and where the table takes over if it must. */
    record Slice(
            List<JobRecord> items,
            @Nullable String nextPageToken,
            /* The page continues in the table after this id (exclusive), for the rest of the limit. */
            @Nullable String tableAfter) {}

    /** {@code covers} when the view holds every listed job: below every job id. */
    static final String EVERYTHING = "";

    private final ConcurrentSkipListMap<String, JobRecord> jobs = new ConcurrentSkipListMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private volatile @Nullable String covers;

    JobListView(JobsProperties properties) {
        this.capacity = properties.cacheSize();
    }

    /** Takes a version of a job: kept if the job is created, within the view, and newer than the one held. */
    void offer(JobRecord job) {
        if (!job.created()) {
            return;
        }
        String floor = covers;
        if (floor != null && job.id().compareTo(floor) < 0) {
            return; // older than the view: the table answers for it
        }
        var added = new boolean[1];
        jobs.compute(job.id(), (id, current) -> {
            if (current == null) {
                added[0] = true;
                return job;
            }
            return job.version() > current.version() ? job : current;
        });
        if (added[0] && size.incrementAndGet() > capacity) {
            trim();
        }
    }

    /**
     * Marks the view as holding every listed job from {@code lowestId} up ({@link #EVERYTHING}: all of them), once
     * the index was read down to there.
     */
    void loadedDownTo(String lowestId) {
        covers = lowestId;
        trim();
    }

    /** The lowest id the view is complete from, or empty until it was loaded. */
    Optional<String> covers() {
        return Optional.ofNullable(covers);
    }

    /** The unfinished jobs held, for re-reading them. */
    List<String> unfinished() {
        List<String> ids = new ArrayList<>();
        jobs.forEach((id, job) -> {
            if (!job.finished()) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Drops the jobs past their retention at {@code now}: no page shows them any more. */
    void dropExpired(Instant now, Duration retention) {
        jobs.forEach((id, job) -> {
            if (!job.visibleAt(now, retention) && jobs.remove(id, job)) {
                size.decrementAndGet();
            }
        });
    }

    int size() {
        return size.get();
    }

    /**
     * One page of the jobs that match {@code filter} and are visible at {@code now}, newest first, as far as the
     * view holds them; empty when the page starts below what the view holds (or before it was loaded), and the
     * table answers it whole.
     */
    Optional<Slice> page(JobFilter filter, Instant now, Duration retention) {
        // The oldest jobs leave only after covers moved up past them: a page read while covers stayed the same saw
        // every job it passed; one that raced with a trim is read again.
        for (int attempt = 0; attempt < 3; attempt++) {
            String floor = covers;
            if (floor == null) {
                return Optional.empty();
            }
            var slice = page(filter, now, retention, floor);
            if (slice.isEmpty() || floor.equals(covers)) {
                return slice;
            }
        }
        return Optional.empty();
    }

    private Optional<Slice> page(JobFilter filter, Instant now, Duration retention, String floor) {
        String highest = JobFilter.highestIdAt(filter.to());
        String lowest = JobFilter.lowestIdAt(filter.from());
        String token = filter.page().pageToken();
        String after = token == null ? null : JobFilter.pageTokenJobId(token);
        if ((after != null && after.compareTo(floor) <= 0) || highest.compareTo(floor) < 0) {
            return Optional.empty();
        }
        var range = after != null && after.compareTo(highest) <= 0
                ? jobs.headMap(after, false)
                : jobs.headMap(highest, true);
        int limit = filter.page().limit();
        List<JobRecord> items = new ArrayList<>(Math.min(limit, 64));
        for (var job : range.descendingMap().values()) {
            if (job.id().compareTo(lowest) < 0 || job.id().compareTo(floor) < 0) {
                break;
            }
            if (!filter.matches(job) || !job.visibleAt(now, retention)) {
                continue;
            }
            if (items.size() == limit) {
                // One more match after a full page: there is a next page.
                return Optional.of(
                        new Slice(items, JobFilter.pageTokenOf(items.getLast().id()), null));
            }
            items.add(job);
        }
        if (floor.equals(EVERYTHING) || lowest.compareTo(floor) >= 0) {
            return Optional.of(new Slice(items, null, null)); // nothing older matches
        }
        if (items.size() == limit) {
            // The table may hold older matches.
            return Optional.of(
                    new Slice(items, JobFilter.pageTokenOf(items.getLast().id()), null));
        }
        return Optional.of(new Slice(items, null, floor));
    }

    /**
     * Drops the oldest jobs while the view holds more than its capacity, and moves {@code covers} up past them; not
     * before the view was loaded.
     */
    private synchronized void trim() {
        while (covers != null && size.get() > capacity) {
            var oldest = jobs.firstEntry();
            if (oldest == null) {
                return;
            }
            String next = jobs.higherKey(oldest.getKey());
            String floor = covers;
            if (next != null && floor != null && next.compareTo(floor) > 0) {
                covers = next; // first, so that no page counts on the job that leaves
            }
            if (jobs.remove(oldest.getKey(), oldest.getValue())) {
                size.decrementAndGet();
            }
        }
    }
}
