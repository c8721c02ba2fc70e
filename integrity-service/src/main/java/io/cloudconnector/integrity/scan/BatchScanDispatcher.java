package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.integrity.vault.VaultRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.KeyValuePair;

/**
 * AWS mode: each scan is a job on the vault's Batch queue with its scanner job definition (this service's
 * image; the definition supplies the vault's bucket and key). The container runs this service in worker
 * mode with the job's parameters in its environment, scans, and publishes {@code ScanReported}.
 */
final class BatchScanDispatcher implements ScanDispatcher {

    private static final Logger log = LoggerFactory.getLogger(BatchScanDispatcher.class);

    /** The environment a scanner container starts with, besides what its job definition sets. */
    static final String PROFILE = "SPRING_PROFILES_ACTIVE";

    static final String JOB_ID = "CONNECTOR_INTEGRITY_WORKER_JOB_ID";
    static final String REPORT_ID = "CONNECTOR_INTEGRITY_WORKER_REPORT_ID";
    static final String RECOVERY_POINT_ID = "CONNECTOR_INTEGRITY_WORKER_RECOVERY_POINT_ID";
    static final String PREVIOUS_RECOVERY_POINT_ID = "CONNECTOR_INTEGRITY_WORKER_PREVIOUS_RECOVERY_POINT_ID";
    static final String ASSET_ID = "CONNECTOR_INTEGRITY_WORKER_ASSET_ID";

    private final BatchClient batch;
    private final ScanExecution execution;
    private final ScanStore store;
    private final String connectorId;

    BatchScanDispatcher(BatchClient batch, ScanExecution execution, ScanStore store, String connectorId) {
        this.batch = batch;
        this.execution = execution;
        this.store = store;
        this.connectorId = connectorId;
    }

    @Override
    public void dispatch(ScanJob job, VaultRecord vault) {
        List<KeyValuePair> environment = new ArrayList<>(List.of(
                env(PROFILE, "worker"),
                env(JOB_ID, job.id()),
                env(REPORT_ID, job.reportId()),
                env(RECOVERY_POINT_ID, job.recoveryPointId()),
                env(ASSET_ID, job.assetId())));
        if (job.previousRecoveryPointId() != null) {
            environment.add(env(PREVIOUS_RECOVERY_POINT_ID, job.previousRecoveryPointId()));
        }
        var resources = new VaultResources(connectorId, vault.id());
        String queue = resources.jobQueue();
        try {
            var submitted = batch.submitJob(b -> b.jobName("scan-" + job.id())
                    .jobQueue(queue)
                    .jobDefinition(resources.scannerJobDefinition())
                    .containerOverrides(c -> c.environment(environment))
                    .tags(Map.of("cloudconnector:connector", connectorId, "cloudconnector:job", job.id()))
                    .propagateTags(true));
            store.saveJob(job.submitted(submitted.jobId()));
        } catch (RuntimeException e) {
            log.warn("Scan job {} could not be submitted to Batch queue {}: {}", job.id(), queue, e.getMessage());
            store.saveJob(job.with(ScanJob.State.FAILED));
            execution
                    .reporter(job.id())
                    .failed(
                            "batch-submission-failed",
                            "Batch refused the scan job on queue " + queue + ": " + e.getMessage());
        }
    }

    private static KeyValuePair env(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }

    @Override
    public void cancel(ScanJob job) {
        if (job.batchJobId() != null) {
            batch.terminateJob(b -> b.jobId(job.batchJobId()).reason("Cancelled through the job-status API"));
        }
        // A terminated container cannot say it stopped, so the service does.
        store.saveJob(job.with(ScanJob.State.CANCELLED));
        execution.reporter(job.id()).cancelled();
    }
}
