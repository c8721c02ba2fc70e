package io.cloudconnector.backgroundjobs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.aws.StackDeployer;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import tools.jackson.databind.JsonNode;

/**
 * AWS mode: an accepted backup is submitted to its vault's Batch job queue with the vault's worker job
 * definition and the job id as parameter and as the worker's arguments, against a vault stack made from the
 * production {@code vault.yaml}. The emulator's Batch runs nothing (jobs jump to SUCCEEDED); what the worker does
 * is covered where workers run (the local mode and the end-to-end worker tests).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"connector.jobs.mode=aws", "connector.jobs.reconcile-interval=1h"})
// The emulator is reset before each class: a context cached from another class would talk to resources that are gone.
@DirtiesContext
class BatchSubmissionIT extends ServiceIntegrationTests {

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    JobStore store;

    @Override
    protected String listPath() {
        return "/v1/backups";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @Test
    void aBackupIsSubmittedToTheVaultsQueueWithItsWorkerDefinitionAndTheJobId() throws Exception {
        var emulator = AwsEmulator.shared();
        var clients = ConnectorStack.clients(emulator);
        var account = EmulatedAccount.create(emulator, emulator.region());
        String vaultId = Ids.vault();
        Map<String, String> outputs;
        try (var cloudFormation = clients.sync(CloudFormationClient.builder())) {
            outputs = new StackDeployer(cloudFormation, Clock.systemUTC(), Duration.ofMillis(200))
                    .deploy(
                            TestTokens.CONNECTOR_ID + "-" + vaultId,
                            ConnectorStack.template().resolveSibling("vault.yaml"),
                            Map.of(
                                    "ConnectorId",
                                    TestTokens.CONNECTOR_ID,
                                    "VaultId",
                                    vaultId,
                                    "VpcId",
                                    account.vpcId(),
                                    "SubnetIds",
                                    String.join(",", account.privateSubnets()),
                                    "WorkerImageUri",
                                    "cloud-connector/background-jobs-service:test",
                                    "ScannerImageUri",
                                    "cloud-connector/integrity-service:test"),
                            Duration.ofMinutes(3));
        }
        inbox.dispatch(EventEnvelope.wrap(
                new VaultCreated(vaultId, "batch", emulator.region(), outputs.get("BucketName"), outputs.get("KeyArn")),
                TestTokens.CONNECTOR_ID,
                null,
                Clock.systemUTC()));
        String volume;
        try (var ec2 = clients.sync(Ec2Client.builder())) {
            volume = ec2.createVolume(
                            b -> b.availabilityZone(emulator.region() + "a").size(1))
                    .volumeId();
        }

        var accepted = send(
                "POST",
                "/v1/backups",
                "{\"assetId\":\"" + volume + "\",\"vaultId\":\"" + vaultId + "\"}",
                bearerWith(Scopes.BACKUPS_WRITE));

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = EventCodec.standardMapper()
                .readTree(accepted.body())
                .get("jobId")
                .asString();
        var job = store.find(jobId).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.batchJobId()).isNotNull();
        var submitted = describeJob(emulator, job.batchJobId());
        assertThat(submitted.path("jobName").asString()).isEqualTo(jobId);
        assertThat(submitted.path("jobQueue").asString()).isEqualTo(outputs.get("JobQueueArn"));
        assertThat(submitted.path("jobDefinition").asString()).isEqualTo(outputs.get("WorkerJobDefinitionArn"));
        assertThat(submitted.path("parameters").path("jobId").asString()).isEqualTo(jobId);
        assertThat(submitted
                        .path("container")
                        .path("command")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .containsExactly("--worker", "--job-id=" + jobId);
        assertThat(submitted.path("tags").path("cloudconnector:job").asString()).isEqualTo(jobId);
        // The emulator's Batch runs nothing: the job only moves through the queue to SUCCEEDED.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> describeJob(emulator, job.batchJobId())
                        .path("status")
                        .asString()
                        .equals("SUCCEEDED"));
    }

    /**
     * DescribeJobs, read as JSON: for a job definition with resource requirements the emulator writes
     * {@code "vcpus": 4.0}, which the SDK refuses to parse as the integer AWS sends.
     */
    private static JsonNode describeJob(AwsEmulator emulator, String batchJobId) throws Exception {
        var request = HttpRequest.newBuilder(emulator.endpoint().resolve("/v1/describejobs"))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=test/20260101/" + emulator.region()
                                + "/batch/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jobs\":[\"" + batchJobId + "\"]}"))
                .build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventCodec.standardMapper()
                .readTree(response.body())
                .path("jobs")
                .get(0);
    }
}
