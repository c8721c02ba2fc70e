package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.vault.VaultResources;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.model.JobStatus;

/**
 * AWS mode: submits a run to the vault's Batch job queue ({@code <connectorId>-<vaultId>}) with its worker job
 * definition ({@code <connectorId>-<vaultId>-worker}, the same image in worker mode): the job id is the Batch
 * parameter {@code jobId} and the container's arguments ({@code --worker --job-id=<id>}).
 */
final class BatchJobLauncher implements JobLauncher {

    private static final Logger log = LoggerFactory.getLogger(BatchJobLauncher.class);
    private static final Set<JobStatus> ENDED = Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED);

    private final AwsClients clients;
    private final VaultDirectory vaults;
    private final JobStore store;
    private final String connectorId;

    BatchJobLauncher(AwsClients clients, VaultDirectory vaults, JobStore store, String connectorId) {
        this.clients = clients;
        this.vaults = vaults;
        this.store = store;
        this.connectorId = connectorId;
    }

    @Override
    public void launch(JobRecord job) {
        var vault = vaults.find(job.vaultId())
                .orElseThrow(() -> new JobFailure("vault-unknown", "Vault " + job.vaultId() + " is unknown"));
        var submitted = clients.in(vault.region())
                .batch()
                .submitJob(b -> b.jobName(job.id())
                        .jobQueue(queue(vault))
                        .jobDefinition(definition(vault))
                        .parameters(Map.of("jobId", job.id()))
                        .containerOverrides(c -> c.command("--worker", "--job-id=" + job.id()))
                        .tags(Map.of("cloudconnector:connector", connectorId, "cloudconnector:job", job.id()))
                        .propagateTags(true));
        store.recordBatchJob(job.id(), submitted.jobId());
        log.info("Submitted {} {} to {} as Batch job {}", job.kind(), job.id(), queue(vault), submitted.jobId());
    }

    /** While its latest Batch job has not ended: waiting for spot capacity can take a while, and is fine. */
    @Override
    public boolean launched(JobRecord job) {
        var vault = vaults.find(job.vaultId()).orElse(null);
        if (job.batchJobId() == null || vault == null) {
            return false;
        }
        var described = clients.in(vault.region())
                .batch()
                .describeJobs(b -> b.jobs(job.batchJobId()))
                .jobs();
        return described.stream().anyMatch(d -> !ENDED.contains(d.status()));
    }

    @Override
    public void withdraw(JobRecord job) {
        var vault = vaults.find(job.vaultId()).orElse(null);
        if (job.batchJobId() == null || vault == null) {
            return;
        }
        try {
            clients.in(vault.region())
                    .batch()
                    .terminateJob(b -> b.jobId(job.batchJobId()).reason("cancelled"));
        } catch (RuntimeException e) {
            // The worker, if it ever starts, finds the job cancelled and exits.
            log.warn("Cannot terminate Batch job {} of {}: {}", job.batchJobId(), job.id(), e.getMessage());
        }
    }

    String queue(Vault vault) {
        return new VaultResources(connectorId, vault.id()).jobQueue();
    }

    String definition(Vault vault) {
        return new VaultResources(connectorId, vault.id()).workerJobDefinition();
    }
}
