package io.cloudconnector.integrity.check;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.ProgressUnits;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.integrity.report.Report;
import io.cloudconnector.integrity.report.ReportKind;
import io.cloudconnector.integrity.report.ReportRepository;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;

/**
 * Runs the account checks as an {@code integrity-check} job (one at a time, a few waiting): job events for
 * the job-status service, then an {@code account} report whose outcome is the worst of its checks.
 */
@Service
class CheckJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CheckJobs.class);

    private final AccountChecks checks;
    private final ReportRepository reports;
    private final EventPublisher events;
    /** The operation an {@code Idempotency-Key} of {@code POST /v1/integrity/checks} belongs to. */
    static final String OPERATION = "checks";

    private final Idempotency idempotency;
    private final Clock clock;
    private final ExecutorService runner = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(4),
            Thread.ofPlatform().name("account-checks").factory());

    CheckJobs(
            AccountChecks checks,
            ReportRepository reports,
            EventPublisher events,
            Idempotency idempotency,
            Clock clock) {
        this.checks = checks;
        this.reports = reports;
        this.events = events;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** The answer to {@code POST /v1/integrity/checks}: the job that runs the checks. */
    record CheckAccepted(String jobId) {}

    /** Starts a check run: its job; the same idempotency key gives the same job. */
    String start(@Nullable String idempotencyKey) {
        var accepted = request(idempotencyKey).getBody();
        if (accepted == null) {
            throw new IllegalStateException("A check run was answered without its job");
        }
        return accepted.jobId();
    }

    /**
     * Starts a check run: 202 with its job; with an idempotency key, the answer to the first request with it.
     * The run stores nothing until its report, so the key's record is written alone, before the job is announced.
     */
    ResponseEntity<CheckAccepted> request(@Nullable String idempotencyKey) {
        return idempotency.respond(OPERATION, idempotencyKey, null, CheckAccepted.class, claim -> {
            String jobId = Ids.job();
            var answer = ResponseEntity.accepted()
                    .location(URI.create("/v1/jobs/" + jobId))
                    .body(new CheckAccepted(jobId));
            claim.put(answer);
            events.publish(new JobCreated(jobId, JobKind.INTEGRITY_CHECK, null, null, null), jobId);
            var reporter = new JobReporter(events, clock, jobId).unit(ProgressUnits.CHECKS);
            try {
                runner.submit(() -> run(jobId, reporter));
            } catch (RejectedExecutionException e) {
                reporter.failed("checks-busy", "Account checks are already running and queued; try again later");
            }
            return answer;
        });
    }

    private void run(String jobId, JobReporter reporter) {
        try {
            reporter.started();
            int steps = checks.steps();
            reporter.report(0, steps);
            List<CheckResult> results = checks.run(done -> reporter.progressed(done, steps));
            String reportId = ReportRepository.newId();
            Map<String, Object> details = Map.of(
                    "checks",
                    EventCodec.standardMapper()
                            .convertValue(results, new TypeReference<List<Map<String, Object>>>() {}));
            reports.save(new Report(
                    reportId,
                    ReportKind.ACCOUNT,
                    AccountChecks.worst(results),
                    null,
                    null,
                    null,
                    null,
                    jobId,
                    clock.instant(),
                    details));
            reporter.succeeded(new JobResult(null, null, null, null, reportId));
        } catch (RuntimeException e) {
            log.error("Account checks {} failed", jobId, e);
            reporter.failed("checks-failed", "The account checks failed: " + e.getMessage());
        }
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
