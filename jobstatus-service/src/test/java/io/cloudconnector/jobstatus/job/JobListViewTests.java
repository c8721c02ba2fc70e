package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.Ulid;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.id.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JobListViewTests {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final String VAULT = Ids.vault();

    private final JobListView view = new JobListView(new JobsProperties(
            RETENTION,
            5,
            Duration.ofSeconds(1),
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            Duration.ofMinutes(15),
            Duration.ofMinutes(10)));

    /** Job {@code n} was created {@code n} minutes after T0: ids ascend with n. */
    private static String id(int n) {
        return "j-" + Ulid.min(T0.plus(Duration.ofMinutes(n)).toEpochMilli()).toString();
    }

    private static JobRecord created(int n, JobKind kind) {
        return JobRecord.unknown(id(n))
                .apply(new JobCreated(id(n), kind, VAULT, null, null), T0.plus(Duration.ofMinutes(n)))
                .stored(T0);
    }

    private static JobFilter filter(
            @Nullable String state, @Nullable String kind, @Nullable Integer limit, @Nullable String token) {
        return JobFilter.parse(
                state, kind, null, null, null, null, null, limit == null ? null : limit.toString(), token);
    }

    private List<String> ids(JobListView.Slice slice) {
        return slice.items().stream().map(JobRecord::id).toList();
    }

    @Test
    void answersNothingUntilLoaded() {
        view.offer(created(1, JobKind.PRUNE));

        assertThat(view.page(filter(null, null, null, null), T0, RETENTION)).isEmpty();
    }

    @Test
    void servesNewestFirstWithFiltersAndPagesFromMemory() {
        for (int n = 1; n <= 5; n++) {
            var job = created(n, n % 2 == 0 ? JobKind.PRUNE : JobKind.SCAN);
            view.offer(n == 3 ? job.apply(new JobStarted(id(n), 10L), T0).stored(T0) : job);
        }
        view.offer(
                JobRecord.unknown(id(6)).apply(new JobStarted(id(6), 10L), T0).stored(T0)); // never created
        view.loadedDownTo(JobListView.EVERYTHING);

        var all = view.page(filter(null, null, null, null), T0, RETENTION).orElseThrow();
        assertThat(ids(all)).containsExactly(id(5), id(4), id(3), id(2), id(1));
        assertThat(all.nextPageToken()).isNull();
        assertThat(all.tableAfter()).isNull();
        assertThat(ids(view.page(filter(null, "scan", null, null), T0, RETENTION)
                        .orElseThrow()))
                .containsExactly(id(5), id(3), id(1));
        assertThat(ids(view.page(filter("running", null, null, null), T0, RETENTION)
                        .orElseThrow()))
                .containsExactly(id(3));
        var between = JobFilter.parse(
                null,
                null,
                null,
                null,
                null,
                T0.plus(Duration.ofMinutes(2)).toString(),
                T0.plus(Duration.ofMinutes(4)).toString(),
                null,
                null);
        assertThat(ids(view.page(between, T0, RETENTION).orElseThrow())).containsExactly(id(4), id(3), id(2));

        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            var page = view.page(filter(null, null, 2, token), T0, RETENTION).orElseThrow();
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            seen.addAll(ids(page));
            token = page.nextPageToken();
        } while (token != null);
        assertThat(seen).containsExactly(id(5), id(4), id(3), id(2), id(1));
    }

    @Test
    void aPageThatReachesBelowTheViewContinuesInTheTableAfterItsLowestJob() {
        for (int n = 1; n <= 7; n++) {
            view.offer(created(n, JobKind.PRUNE));
        }
        view.loadedDownTo(id(1)); // the index was read down to job 1, and there may be older ones

        // Five fit: the two oldest left, and the view now starts at job 3.
        assertThat(view.covers()).contains(id(3));
        assertThat(view.size()).isEqualTo(5);

        var first = view.page(filter(null, null, 3, null), T0, RETENTION).orElseThrow();
        assertThat(ids(first)).containsExactly(id(7), id(6), id(5));
        assertThat(first.nextPageToken()).isEqualTo(JobFilter.pageTokenOf(id(5)));

        var second = view.page(filter(null, null, 3, first.nextPageToken()), T0, RETENTION)
                .orElseThrow();
        assertThat(ids(second)).containsExactly(id(4), id(3));
        assertThat(second.tableAfter()).isEqualTo(id(3));

        // A token from below the view (a page the table answered) goes to the table whole.
        assertThat(view.page(filter(null, null, 3, JobFilter.pageTokenOf(id(3))), T0, RETENTION))
                .isEmpty();
        // So does a page whose jobs were all created before the view starts.
        var older = JobFilter.parse(
                null,
                null,
                null,
                null,
                null,
                null,
                T0.plus(Duration.ofMinutes(2)).toString(),
                null,
                null);
        assertThat(view.page(older, T0, RETENTION)).isEmpty();
        // A job older than the view is left to the table.
        view.offer(created(2, JobKind.SCAN));
        assertThat(view.size()).isEqualTo(5);
    }

    @Test
    void aJobUpdatedAfterBeingListedShowsItsNewestVersionOnly() {
        var job = created(1, JobKind.SCAN);
        view.offer(job);
        view.loadedDownTo(JobListView.EVERYTHING);
        assertThat(view.page(filter("queued", null, null, null), T0, RETENTION)
                        .orElseThrow()
                        .items())
                .containsExactly(job);

        var running = job.apply(new JobProgressed(id(1), 1, 5, 10), T0).stored(T0);
        view.offer(running);
        view.offer(job); // an older version read late changes nothing

        assertThat(view.page(filter("queued", null, null, null), T0, RETENTION)
                        .orElseThrow()
                        .items())
                .isEmpty();
        assertThat(view.page(filter("running", null, null, null), T0, RETENTION)
                        .orElseThrow()
                        .items())
                .containsExactly(running);
        assertThat(view.unfinished()).containsExactly(id(1));
    }

    @Test
    void jobsPastTheirRetentionAreNotListedAndLeave() {
        var done = created(1, JobKind.SCAN)
                .apply(new JobSucceeded(id(1), JobResult.none()), T0)
                .stored(T0);
        view.offer(done);
        view.offer(created(2, JobKind.SCAN));
        view.loadedDownTo(JobListView.EVERYTHING);
        Instant later = T0.plus(RETENTION).plusSeconds(1);

        assertThat(ids(view.page(filter(null, null, null, null), later, RETENTION)
                        .orElseThrow()))
                .containsExactly(id(2));
        view.dropExpired(later, RETENTION);
        assertThat(view.size()).isEqualTo(1);
        assertThat(view.unfinished()).containsExactly(id(2));
    }
}
