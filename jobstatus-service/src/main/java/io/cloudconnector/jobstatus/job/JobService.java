package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Applies job events to the stored jobs and answers the API from the cache. */
@Service
class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    /** Writers racing on one job each win in turn; this many lost races in a row means something is wrong. */
    private static final int MAX_WRITE_ATTEMPTS = 10;

    private final JobRepository repository;
    private final JobCache cache;
    private final JobListView view;
    private final EventPublisher publisher;
    private final JobsProperties properties;
    private final JobNames names;
    private final Clock clock;

    JobService(
            JobRepository repository,
            JobCache cache,
            JobListView view,
            EventPublisher publisher,
            JobsProperties properties,
            JobNames names,
            Clock clock) {
        this.names = names;
        this.repository = repository;
        this.cache = cache;
        this.view = view;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Adds one event's fact to its job and stores the result if it changed anything. The cached version
     * serves as the first guess of what is stored: facts only accumulate, so an event that changes
     * nothing in the cached version changes nothing in the stored one either; a guess that is out of
     * date fails the conditional write and the stored version is read instead.
     */
    void apply(EventEnvelope envelope) {
        var event = envelope.payload();
        String id = JobRecord.jobIdOf(event)
                .orElseThrow(() -> new IllegalArgumentException(envelope.type() + " is not a job event"));
        if (!Ids.isValid(IdKind.JOB, id)) {
            // Retrying cannot make the id valid: drop the event rather than send it to the DLQ five times later.
            log.warn("Ignoring {} {}: '{}' is not a job id", envelope.type(), envelope.id(), id);
            return;
        }
        JobRecord current = cache.peek(id).orElseGet(() -> stored(id));
        for (int attempt = 1; ; attempt++) {
            JobRecord next = current.apply(event, envelope.time());
            if (next.equals(current)) {
                log.debug("{} {} changes nothing in job {}", envelope.type(), envelope.id(), id);
                return;
            }
            JobRecord stored = next.stored(clock.instant());
            if (repository.write(stored, current.version())) {
                cache.offer(stored);
                return;
            }
            if (attempt == MAX_WRITE_ATTEMPTS) {
                throw new IllegalStateException("Job " + id + " changed under " + envelope.type() + " " + envelope.id()
                        + " " + attempt + " times in a row; leaving the event for redelivery");
            }
            current = stored(id);
        }
    }

    private JobRecord stored(String id) {
        return repository.find(id).map(cache::offer).orElseGet(() -> JobRecord.unknown(id));
    }

    /** The job if the API shows it, from the cache. */
    Optional<Job> find(String id) {
        if (!Ids.isValid(IdKind.JOB, id)) {
            return Optional.empty();
        }
        return cache.find(id).filter(this::visible).map(this::view);
    }

    /**
     * A page of jobs, newest first; each shows the newest version this task knows. Served from the {@link JobListView}
     * as far as it holds the page's jobs, the rest from the table's listing index after the last job the view holds,
     * so that the page token (the last job returned) resumes the same way whichever answered.
     */
    Page<Job> list(JobFilter filter) {
        var slice = view.page(filter, clock.instant(), properties.retention());
        if (slice.isEmpty()) {
            return repository.list(filter).map(cache::offer).map(this::view);
        }
        var fromView = slice.get();
        if (fromView.tableAfter() == null) {
            return new Page<>(fromView.items().stream().map(this::view).toList(), fromView.nextPageToken());
        }
        int rest = filter.page().limit() - fromView.items().size();
        var older = repository.list(new JobFilter(
                filter.state(),
                filter.kind(),
                filter.vaultId(),
                filter.assetId(),
                filter.policyId(),
                filter.from(),
                filter.to(),
                new PageRequest(rest, JobFilter.pageTokenOf(fromView.tableAfter()))));
        var items = new ArrayList<Job>(filter.page().limit());
        fromView.items().forEach(job -> items.add(view(job)));
        older.items().forEach(job -> items.add(view(cache.offer(job))));
        return new Page<>(items, older.nextPageToken());
    }

    /**
     * Asks the job's worker to stop: publishes {@link JobCancelRequested} and records the request. Only a
     * job that has not finished can be cancelled; the stored state decides, not the cache.
     */
    Job requestCancel(String id) {
        var record =
                Ids.isValid(IdKind.JOB, id) ? repository.find(id).filter(this::visible) : Optional.<JobRecord>empty();
        var job = record.map(cache::offer).orElseThrow(() -> new NotFoundException("Job", id));
        if (job.finished()) {
            throw new ConflictException("Job " + id + " has already "
                    + job.state().wireName() + "; only a queued, provisioning or running job can be cancelled");
        }
        // Published before it is recorded: a job that shows a cancel request has had one sent.
        apply(publisher.publish(new JobCancelRequested(id), id));
        return cache.peek(id).filter(this::visible).map(this::view).orElseThrow(() -> new NotFoundException("Job", id));
    }

    /** The API's view of a created record, with the names of its vault and asset as far as they are known. */
    Job view(JobRecord record) {
        return Job.of(record, names);
    }

    /** Makes changes that other tasks applied to running jobs reach this task's streams soon. */
    void refreshRunning() {
        cache.refreshRunning();
    }

    boolean visible(JobRecord record) {
        return record.visibleAt(clock.instant(), properties.retention());
    }
}
