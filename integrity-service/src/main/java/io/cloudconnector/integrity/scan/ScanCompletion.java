package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.integrity.report.Report;
import io.cloudconnector.integrity.report.ReportKind;
import io.cloudconnector.integrity.report.ReportRepository;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ends a scan that produced a report, wherever it ran: the report is stored first, then
 * {@code RecoveryPointScanned} (catalog and inventory act on it) and {@code JobSucceeded} naming the report.
 * Safe to repeat: the report is written once, the events' consumers are idempotent.
 */
@Component
class ScanCompletion {

    private static final Logger log = LoggerFactory.getLogger(ScanCompletion.class);
    private static final JsonMapper JSON = EventCodec.standardMapper();

    private final ScanStore store;
    private final ReportRepository reports;
    private final EventPublisher events;
    private final Clock clock;

    ScanCompletion(ScanStore store, ReportRepository reports, EventPublisher events, Clock clock) {
        this.store = store;
        this.reports = reports;
        this.events = events;
        this.clock = clock;
    }

    /** The report as the JSON object that is stored and carried by {@code ScanReported}. */
    static Map<String, Object> body(ScanReport report) {
        return JSON.convertValue(report, new TypeReference<Map<String, Object>>() {});
    }

    void complete(ScanJob job, ScanVerdict verdict, Map<String, Object> body) {
        var current = store.job(job.id()).orElse(job);
        if (current.state() == ScanJob.State.CANCELLED) {
            log.info("Scan job {} was cancelled; its report is dropped", job.id());
            return;
        }
        reports.save(new Report(
                job.reportId(),
                ReportKind.SCAN,
                Report.outcomeOf(verdict),
                verdict,
                job.recoveryPointId(),
                job.vaultId(),
                job.assetId(),
                job.id(),
                clock.instant(),
                body));
        events.publish(
                new RecoveryPointScanned(job.recoveryPointId(), job.vaultId(), job.assetId(), verdict, job.reportId()),
                job.id());
        events.publish(
                new JobSucceeded(job.id(), new JobResult(null, null, null, null, job.reportId(), verdict.wireName())),
                job.id());
        store.saveJob(current.with(ScanJob.State.SUCCEEDED));
    }
}
