package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.common.web.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobCacheTests {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String ID = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final JobRecord RUNNING = JobRecord.unknown(ID)
            .apply(new JobCreated(ID, JobKind.SCAN, null, null, "rp-1"), T0)
            .apply(new JobProgressed(ID, 1, 10, 100), T0)
            .stored(T0);

    private final MutableClock clock = new MutableClock(T0);
    private final JobRepository repository = mock(JobRepository.class);
    private final JobUpdates updates = new JobUpdates();
    private final JobsProperties properties = new JobsProperties(
            Duration.ofDays(30),
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(15),
            Duration.ofHours(1),
            Duration.ofMinutes(15),
            Duration.ofMinutes(10));
    private final JobListView view = new JobListView(properties);
    private final JobCache cache =
            new JobCache(repository, updates, view, mock(NameDirectory.class), properties, clock);

    @AfterEach
    void stop() {
        cache.destroy();
    }

    @Test
    void aMissReadsTheTableOnceThenServesFromMemory() {
        given(repository.find(ID)).willReturn(Optional.of(RUNNING));

        assertThat(cache.find(ID)).contains(RUNNING);
        assertThat(cache.find(ID)).contains(RUNNING);

        verify(repository, times(1)).find(ID);
    }

    @Test
    void onlyANewerVersionReplacesTheCachedOneAndReachesSubscribers() throws Exception {
        updates.start();
        var newer = RUNNING.apply(new JobProgressed(ID, 2, 50, 100), T0).stored(T0);
        try (var subscription = updates.subscribe(ID)) {
            cache.offer(newer);
            assertThat(cache.offer(RUNNING)).isEqualTo(newer);

            assertThat(cache.peek(ID)).contains(newer);
            assertThat(subscription.await(Duration.ZERO)).containsExactly(newer);
            assertThat(subscription.await(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void aRunningJobOlderThanRefreshAfterIsReReadInTheBackground() {
        var advanced = RUNNING.apply(new JobProgressed(ID, 2, 90, 100), T0).stored(T0);
        cache.offer(RUNNING);
        given(repository.find(ID)).willReturn(Optional.of(advanced));

        assertThat(cache.find(ID)).contains(RUNNING);
        verify(repository, never()).find(ID);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.find(ID)).contains(RUNNING); // answered from memory, re-read behind it
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cache.peek(ID).orElseThrow().equals(advanced));
    }

    @Test
    void aRunningJobThatSatStillIsReReadLessOften() {
        cache.offer(RUNNING); // stored at T0
        clock.advance(Duration.ofMinutes(20));
        cache.offer(RUNNING); // checked again at T0 + 20 min: unchanged for 20 minutes
        given(repository.find(ID)).willReturn(Optional.of(RUNNING));

        clock.advance(Duration.ofSeconds(30));
        cache.find(ID);
        cache.refreshRunning();
        verify(repository, never()).find(ID);

        clock.advance(Duration.ofSeconds(30)); // a minute since the check: the longest a running job waits
        cache.find(ID);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> verify(repository, times(1)).find(ID));
    }

    @Test
    void aFinishedJobIsNeverReRead() {
        var done = RUNNING.apply(new JobSucceeded(ID, JobResult.none()), T0).stored(T0);
        cache.offer(done);

        clock.advance(Duration.ofHours(1));
        cache.find(ID);
        cache.refreshRunning();

        verify(repository, never()).find(any());
    }

    @Test
    void warmsUpWithTheNewestJobsUpToItsSize() {
        var jobs = java.util.stream.Stream.generate(Ids::job)
                .limit(4)
                .map(id -> JobRecord.unknown(id)
                        .apply(new JobCreated(id, JobKind.PRUNE, null, null, null), T0)
                        .stored(T0))
                .toList();
        given(repository.list(any()))
                .willReturn(
                        new Page<>(
                                jobs.subList(0, 2),
                                JobFilter.pageTokenOf(jobs.get(1).id())),
                        new Page<>(
                                jobs.subList(2, 4),
                                JobFilter.pageTokenOf(jobs.get(3).id())));

        cache.warmUp();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> cache.peek(jobs.get(3).id()).isPresent());
        // Three fit: after the second page it stops, though the list goes on.
        verify(repository, times(2)).list(any());
        // The list view holds the same jobs, and is complete from where the read stopped.
        await().atMost(Duration.ofSeconds(10)).until(() -> view.covers().isPresent());
        assertThat(view.covers()).contains(jobs.get(3).id());
        assertThat(view.size()).isEqualTo(3);
    }

    @Test
    void theListViewLearnsWhatAnotherTaskCreatedAndChangedFromTheTable() {
        view.loadedDownTo(JobListView.EVERYTHING);
        cache.offer(RUNNING);
        // Another task created a job and finished RUNNING: this task heard of neither.
        String other = Ids.job();
        var created = JobRecord.unknown(other)
                .apply(new JobCreated(other, JobKind.PRUNE, null, null, null), T0)
                .stored(T0);
        var finished = RUNNING.apply(new JobSucceeded(ID, JobResult.none()), T0).stored(T0);
        given(repository.list(any())).willReturn(new Page<>(java.util.List.of(created), null));
        given(repository.find(ID)).willReturn(Optional.of(finished));
        clock.advance(Duration.ofSeconds(1));

        cache.syncListed();
        cache.syncListed();

        var filter = JobFilter.parse(null, null, null, null, null, null, null, null, null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> view.page(filter, clock.instant(), Duration.ofDays(30))
                        .orElseThrow()
                        .items()
                        .equals(java.util.List.of(created, finished)));
        // The first re-read went over the whole view (never reloaded since it was loaded, here by hand); the next
        // asked the index only for the jobs created in the last list-sync-window.
        verify(repository).list(org.mockito.ArgumentMatchers.argThat(asked -> asked.from() == null));
        verify(repository)
                .list(org.mockito.ArgumentMatchers.argThat(asked -> asked.from() != null
                        && asked.from().equals(clock.instant().minus(Duration.ofMinutes(15)))));
    }
}
