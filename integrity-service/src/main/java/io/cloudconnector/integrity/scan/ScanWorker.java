package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.ScanReported;
import io.cloudconnector.common.messaging.EventPublisher;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Worker mode ({@code SPRING_PROFILES_ACTIVE=worker}, what the vault's scanner job definition runs): scans
 * the one recovery point its environment names and publishes the report as {@code ScanReported} — the Batch
 * job's role may publish events but not write the integrity table, so the service stores it. Exits 0 when a
 * report was made, 1 when the job failed (after publishing {@code JobFailed}).
 */
@Component
@Profile("worker")
class ScanWorker implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(ScanWorker.class);
    /** EventBridge takes entries up to 256 KiB; the rest of the envelope needs far less than the margin. */
    static final int MAX_REPORT_BYTES = 200 * 1024;

    private final ScanExecution execution;
    private final EventPublisher events;
    private final Environment environment;
    private int exitCode;

    ScanWorker(ScanExecution execution, EventPublisher events, Environment environment) {
        this.execution = execution;
        this.events = events;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        String jobId = environment.getRequiredProperty("connector.integrity.worker.job-id");
        var reporter = execution.reporter(jobId);
        try {
            var order = new ScanExecution.Order(
                    jobId,
                    environment.getRequiredProperty("connector.vault.id"),
                    environment.getRequiredProperty("connector.vault.key-arn"),
                    environment.getRequiredProperty("connector.integrity.worker.recovery-point-id"),
                    environment.getProperty("connector.integrity.worker.previous-recovery-point-id"));
            var report = fit(execution.run(order, reporter, () -> false), MAX_REPORT_BYTES);
            events.publish(
                    new ScanReported(
                            jobId,
                            environment.getRequiredProperty("connector.integrity.worker.report-id"),
                            order.recoveryPointId(),
                            order.vaultId(),
                            environment.getRequiredProperty("connector.integrity.worker.asset-id"),
                            report.verdict(),
                            ScanCompletion.body(report)),
                    jobId);
        } catch (ScanExecution.Failure e) {
            log.warn("Scan job {} failed: {}", jobId, e.getMessage());
            reporter.failed(e.code, String.valueOf(e.getMessage()));
            exitCode = 1;
        } catch (RuntimeException e) {
            log.error("Scan job {} failed", jobId, e);
            reporter.failed("scan-failed", "The scan failed: " + e.getMessage());
            exitCode = 1;
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    /** The report with its lists shortened until its JSON fits {@code maxBytes}. */
    static ScanReport fit(ScanReport report, int maxBytes) {
        var json = EventCodec.standardMapper();
        var current = report;
        int limit = Math.max(
                report.detections().size(),
                Math.max(report.worstFiles().size(), report.findings().size()));
        while (json.writeValueAsBytes(current).length > maxBytes && limit > 0) {
            limit /= 2;
            current = new ScanReport(
                    report.verdict(),
                    report.reasons(),
                    report.counts(),
                    report.volumes(),
                    shorter(report.detections(), limit),
                    shorter(report.worstFiles(), limit),
                    shorter(report.findings(), limit),
                    report.engines(),
                    report.comparison(),
                    true);
        }
        return current;
    }

    private static <T> List<T> shorter(List<T> list, int limit) {
        return list.subList(0, Math.min(limit, list.size()));
    }
}
