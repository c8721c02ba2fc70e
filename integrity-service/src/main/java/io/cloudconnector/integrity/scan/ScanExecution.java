package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.ProgressUnits;
import io.cloudconnector.common.job.JobReporter;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.integrity.config.IntegrityProperties;
import io.cloudconnector.integrity.scan.detect.ScanEngineException;
import io.cloudconnector.integrity.signatures.Signatures;
import io.cloudconnector.scalez.ScalezException;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Runs one scan job where it was placed (in-process, or a Batch worker): opens the vault's repository,
 * scans, reports progress; what happens with the report is the caller's.
 */
@Component
class ScanExecution {

    /** What the scan needs to know; a Batch worker gets it from its environment. */
    record Order(
            String jobId,
            String vaultId,
            String keyArn,
            String recoveryPointId,
            @Nullable String previousRecoveryPointId) {}

    /** A scan that could not produce a report; {@code code} is the job's failure code. */
    static final class Failure extends RuntimeException {
        final String code;

        Failure(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }
    }

    private final VaultRepositories repositories;
    private final EventPublisher events;
    private final Clock clock;
    private final ScanSettings settings;
    private final Signatures signatures;

    ScanExecution(
            VaultRepositories repositories,
            EventPublisher events,
            Clock clock,
            IntegrityProperties properties,
            Signatures signatures) {
        this.repositories = repositories;
        this.events = events;
        this.clock = clock;
        this.settings = settings(properties.scans());
        this.signatures = signatures;
    }

    static ScanSettings settings(IntegrityProperties.Scans s) {
        return new ScanSettings(
                s.threads(),
                s.maxFileSize().toBytes(),
                s.batchSize().toBytes(),
                s.batchFiles(),
                s.workDir(),
                s.clamd(),
                s.officialClamavDatabase(),
                s.clamdStartTimeout(),
                s.yara(),
                s.extraYaraRules(),
                s.engineTimeout(),
                s.minEncryptedFiles(),
                s.minEncryptedShare(),
                s.listLimit());
    }

    JobReporter reporter(String jobId) {
        return new JobReporter(events, clock, jobId);
    }

    /**
     * Scans; throws {@link RecoveryPointScanner.CancelledException} when cancelled and {@link Failure} when no
     * report can be made (the recovery point or an engine is missing).
     */
    ScanReport run(Order order, JobReporter reporter, BooleanSupplier cancelled) {
        reporter.started();
        try {
            var repository = repositories.open(order.vaultId(), order.keyArn());
            // The newest signatures in the connector's bucket (a private subnet has no other way to current ones).
            var freshness = signatures.freshness(signatures.forScan());
            return new RecoveryPointScanner(settings, freshness)
                    .scan(
                            repository,
                            order.recoveryPointId(),
                            order.previousRecoveryPointId() == null ? null : repository,
                            order.previousRecoveryPointId(),
                            new RecoveryPointScanner.Progress() {
                                private volatile long total;

                                @Override
                                public void total(long bytes) {
                                    total = bytes;
                                    reporter.report(0, bytes);
                                }

                                @Override
                                public void done(long bytes) {
                                    reporter.progressed(bytes, total);
                                }

                                @Override
                                public void files(long done, long total) {
                                    reporter.secondary(ProgressUnits.FILES, done, total);
                                }
                            },
                            cancelled);
        } catch (RecoveryPointScanner.CancelledException e) {
            throw e;
        } catch (ScanEngineException e) {
            throw new Failure("scan-engine-unavailable", String.valueOf(e.getMessage()), e);
        } catch (ScalezException e) {
            throw new Failure(
                    "recovery-point-unreadable",
                    "Recovery point " + order.recoveryPointId() + " cannot be opened: " + e.getMessage(),
                    e);
        }
    }
}
