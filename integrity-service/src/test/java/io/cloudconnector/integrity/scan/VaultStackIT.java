package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.aws.StackDeployer;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.integrity.testing.EmulatedVault;
import io.cloudconnector.integrity.testing.Inbox;
import io.cloudconnector.integrity.vault.VaultRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real vault stack ({@code infra/cloudformation/vault.yaml}) in the emulator's account: account checks
 * read its network, key, bucket and compute, and scan jobs are submitted to its Batch queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VaultStackIT extends ServiceIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static EmulatedAccount account;
    static String vaultId;
    static Map<String, String> outputs;
    /**
     * The vault's key as announced: moto 5.2 answers DescribeKey on a key a template made with a 500, so the
     * vault is announced with a key made through the KMS API (in AWS it is the stack's key).
     */
    static String keyArn;

    static boolean announced;

    @Autowired
    ScanExecution execution;

    @Autowired
    ScanStore store;

    @Autowired
    BatchClient batch;

    @Autowired
    VaultRepository vaults;

    @Override
    protected String listPath() {
        return "/v1/integrity/reports";
    }

    @Override
    protected String listScope() {
        return Scopes.INTEGRITY_READ;
    }

    @BeforeAll
    static void deployAVault() {
        var emulator = AwsEmulator.shared();
        account = EmulatedAccount.create(emulator, AwsEmulator.REGION);
        vaultId = Ids.vault();
        var template = ConnectorStack.template().resolveSibling("vault.yaml");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ConnectorId", TestTokens.CONNECTOR_ID);
        parameters.put("VaultId", vaultId);
        parameters.put("VpcId", account.vpcId());
        parameters.put("SubnetIds", String.join(",", account.privateSubnets()));
        parameters.put("WorkerImageUri", "cloud-connector/background-jobs-service:test");
        parameters.put("ScannerImageUri", "cloud-connector/integrity-service:test");
        try (var cloudFormation = ConnectorStack.clients(emulator).sync(CloudFormationClient.builder())) {
            outputs = new StackDeployer(cloudFormation, Clock.systemUTC(), Duration.ofMillis(200))
                    .deploy(TestTokens.CONNECTOR_ID + "-" + vaultId, template, parameters, Duration.ofMinutes(3));
        }
        try (var kms = kms()) {
            keyArn = kms.createKey(b -> b.description("vault " + vaultId))
                    .keyMetadata()
                    .arn();
        }
    }

    private void vaultKnown() {
        if (!announced) {
            new EmulatedVaultPublisher()
                    .publish(new VaultCreated(
                            vaultId, "stack vault", AwsEmulator.REGION, outputs.get("BucketName"), keyArn));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> vaults.find(vaultId).isPresent());
            announced = true;
        }
    }

    /** Publishes as the catalog would. */
    private static final class EmulatedVaultPublisher {
        void publish(VaultCreated event) {
            var clients = ConnectorStack.clients(AwsEmulator.shared());
            new io.cloudconnector.common.messaging.EventPublisher(
                            clients.sync(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()),
                            io.cloudconnector.common.event.EventCodec.standard(),
                            TestTokens.CONNECTOR_ID + "-bus",
                            "catalog",
                            TestTokens.CONNECTOR_ID,
                            Clock.systemUTC())
                    .publish(event, null);
        }
    }

    @Test
    void aScanIsSubmittedToTheVaultsQueueWithItsScannerDefinitionAndCanBeCancelled() throws Exception {
        vaultKnown();
        var vault = vaults.find(vaultId).orElseThrow();
        var job = new ScanJob(
                Ids.job(),
                Ids.recoveryPoint(),
                vaultId,
                EmulatedVault.ASSET,
                Ids.recoveryPoint(),
                "r-" + Ids.ulid(),
                ScanJob.State.QUEUED,
                ScanJob.Mode.BATCH,
                null,
                Instant.now());
        store.createJob(job);
        var dispatcher = new BatchScanDispatcher(batch, execution, store, TestTokens.CONNECTOR_ID);

        dispatcher.dispatch(job, vault);

        var submitted = store.job(job.id()).orElseThrow();
        assertThat(submitted.batchJobId()).isNotBlank();
        var described = describeJob(submitted.batchJobId());
        assertThat(described.path("jobName").asString()).isEqualTo("scan-" + job.id());
        assertThat(described.path("jobQueue").asString())
                .endsWith(":job-queue/" + TestTokens.CONNECTOR_ID + "-" + vaultId);
        assertThat(described.path("jobDefinition").asString())
                .contains(":job-definition/" + TestTokens.CONNECTOR_ID + "-" + vaultId + "-scanner");
        Map<String, String> environment = new LinkedHashMap<>();
        described
                .path("container")
                .path("environment")
                .forEach(e -> environment.put(
                        e.path("name").asString(), e.path("value").asString()));
        assertThat(environment)
                .contains(
                        Map.entry("SPRING_PROFILES_ACTIVE", "worker"),
                        Map.entry("CONNECTOR_INTEGRITY_WORKER_JOB_ID", job.id()),
                        Map.entry("CONNECTOR_INTEGRITY_WORKER_REPORT_ID", job.reportId()),
                        Map.entry("CONNECTOR_INTEGRITY_WORKER_RECOVERY_POINT_ID", job.recoveryPointId()),
                        Map.entry(
                                "CONNECTOR_INTEGRITY_WORKER_PREVIOUS_RECOVERY_POINT_ID", job.previousRecoveryPointId()),
                        Map.entry("CONNECTOR_INTEGRITY_WORKER_ASSET_ID", EmulatedVault.ASSET),
                        // From the job definition: the vault the worker reads.
                        Map.entry("CONNECTOR_VAULT_BUCKET", outputs.get("BucketName")));

        var jobstatus = new Inbox(
                ConnectorStack.clients(AwsEmulator.shared()).sync(SqsClient.builder()), "cc-test-jobstatus-inbox");
        dispatcher.cancel(submitted);

        assertThat(store.job(job.id()).orElseThrow().state()).isEqualTo(ScanJob.State.CANCELLED);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(jobstatus.events(JobCancelled.class)).contains(new JobCancelled(job.id())));
    }

    /**
     * DescribeJobs through plain HTTP: moto 5.2 writes a float where the SDK expects an integer, so the
     * SDK cannot read its answer (an emulator quirk; AWS answers integers).
     */
    private static JsonNode describeJob(String batchJobId) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        AwsEmulator.shared().endpoint().resolve("/v1/describejobs"))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/batch/aws4_request, "
                                + "SignedHeaders=host, Signature=0")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jobs\":[\"" + batchJobId + "\"]}"))
                .build();
        var response = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("jobs").get(0);
    }

    private JsonNode runChecks() throws Exception {
        var accepted = send("POST", "/v1/integrity/checks", null, bearerWith(Scopes.INTEGRITY_WRITE));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).path("jobId").asString();
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);
        var jobstatus = new Inbox(
                ConnectorStack.clients(AwsEmulator.shared()).sync(SqsClient.builder()), "cc-test-jobstatus-inbox");
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(jobstatus.events(io.cloudconnector.common.event.JobSucceeded.class))
                        .anyMatch(e -> e.jobId().equals(jobId)));
        for (var item : JSON.readTree(get("/v1/integrity/reports?kind=account", bearerWith(Scopes.INTEGRITY_READ))
                        .body())
                .path("items")) {
            if (item.path("jobId").asString().equals(jobId)) {
                return JSON.readTree(
                        get("/v1/integrity/reports/" + item.path("id").asString(), bearerWith(Scopes.INTEGRITY_READ))
                                .body());
            }
        }
        throw new AssertionError("no report of " + jobId);
    }

    /** check|resource → outcome: reason. */
    private static Map<String, String> outcomes(JsonNode report) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var check : report.path("details").path("checks")) {
            out.put(
                    check.path("check").asString() + "|"
                            + check.path("resource").asString(),
                    check.path("outcome").asString() + ": "
                            + check.path("reason").asString()
                            + (check.has("fix") ? " -> " + check.path("fix").asString() : ""));
        }
        return out;
    }

    @Test
    void accountChecksFindWhatWouldBreakProtectionAndSayHowToFixIt() throws Exception {
        vaultKnown();
        var firstReport = runChecks();
        var first = outcomes(firstReport);

        String vault = TestTokens.CONNECTOR_ID + "-" + vaultId;
        assertThat(firstReport.path("outcome").asString()).isEqualTo("fail");
        assertThat(first.get("region-supported|us-east-1")).startsWith("pass");
        assertThat(first).hasSizeGreaterThan(30).allSatisfy((check, outcome) -> {
            if (check.startsWith("connector-") || check.startsWith("dead-letter-queue-empty")) {
                assertThat(outcome).as(check).startsWith("pass");
            }
        });
        assertThat(first.get("vault-compute|" + vault)).isEqualTo("pass: compute environment is VALID and ENABLED");
        assertThat(first.get("vault-subnets|" + vault)).startsWith("pass: 2 subnets of " + account.vpcId() + " in 2");
        assertThat(first.get("vault-subnet-kind|" + vault)).isEqualTo("pass: subnets are all private");
        for (var subnet : account.privateSubnets()) {
            assertThat(first.get("vault-private-subnet-reaches-aws|" + subnet))
                    .startsWith("fail: private subnet has no NAT "
                            + "route and no VPC endpoint for s3, dynamodb, sqs, kms, ebs, ecr.api, ecr.dkr")
                    .contains("-> add a NAT gateway route", "com.amazonaws.us-east-1.ecr.dkr");
        }
        assertThat(first.get("vault-kms-key|" + keyArn)).isEqualTo("pass: key is enabled");
        assertThat(first.get("vault-kms-key-rotation|" + keyArn))
                .startsWith("fail: automatic rotation is off -> turn it on");
        String bucket = outputs.get("BucketName");
        assertThat(first.get("vault-bucket-encryption|" + bucket)).isEqualTo("pass: default encryption is SSE-KMS");
        // The emulator does not apply the template's versioning and public access block (docs/deploy.md).
        assertThat(first.get("vault-bucket-versioning|" + bucket))
                .startsWith("fail: versioning is off")
                .endsWith("-> enable versioning on " + bucket);
        assertThat(first.get("vault-bucket-public-access|" + bucket))
                .startsWith("fail: NoSuchPublicAccessBlockConfiguration");

        var clients = ConnectorStack.clients(AwsEmulator.shared());
        var sqs = clients.sync(SqsClient.builder());
        var dlq =
                sqs.getQueueUrl(b -> b.queueName("cc-test-inventory-inbox-dlq")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("{\"poison\":true}"));
        var s3 = clients.s3();
        s3.putBucketVersioning(
                b -> b.bucket(outputs.get("BucketName")).versioningConfiguration(v -> v.status("Enabled")));
        s3.putPublicAccessBlock(b -> b.bucket(outputs.get("BucketName"))
                .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                        .blockPublicPolicy(true)
                        .ignorePublicAcls(true)
                        .restrictPublicBuckets(true)));
        try (var ec2 = ec2();
                var kms = kms()) {
            var nat = ec2.createNatGateway(
                            b -> b.subnetId(account.publicSubnets().getFirst()))
                    .natGateway()
                    .natGatewayId();
            var main = ec2.describeRouteTables(b -> b.filters(
                            software.amazon.awssdk.services.ec2.model.Filter.builder()
                                    .name("vpc-id")
                                    .values(account.vpcId())
                                    .build(),
                            software.amazon.awssdk.services.ec2.model.Filter.builder()
                                    .name("association.main")
                                    .values("true")
                                    .build()))
                    .routeTables()
                    .getFirst()
                    .routeTableId();
            ec2.createRoute(
                    b -> b.routeTableId(main).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));
            // moto 5.2 needs the period that AWS defaults to 365 days.
            kms.enableKeyRotation(b -> b.keyId(keyArn).rotationPeriodInDays(365));
            // moto 5.2 disables by key id only (an ARN is a KeyError there).
            kms.disableKey(b -> b.keyId(keyArn.substring(keyArn.lastIndexOf('/') + 1)));
        }
        var second = outcomes(runChecks());

        assertThat(second.get("dead-letter-queue-empty|cc-test-inventory-inbox-dlq"))
                .isEqualTo("fail: 1 message the "
                        + "inventory service failed to handle 5 times -> read them, fix the cause (the service log names it), "
                        + "then redrive them to cc-test-inventory-inbox");
        for (var subnet : account.privateSubnets()) {
            assertThat(second.get("vault-private-subnet-reaches-aws|" + subnet))
                    .isEqualTo("pass: routes to AWS APIs through NAT");
        }
        assertThat(second.get("vault-kms-key|" + keyArn))
                .startsWith("fail: key is Disabled")
                .endsWith("-> enable the key (kms:EnableKey) or cancel its deletion");
        assertThat(second.get("vault-kms-key-rotation|" + keyArn)).isEqualTo("pass: automatic rotation is on");
        assertThat(second.get("vault-bucket-versioning|" + bucket)).isEqualTo("pass: versioning is enabled");
        assertThat(second.get("vault-bucket-public-access|" + bucket)).isEqualTo("pass: public access is blocked");
    }

    static Ec2Client ec2() {
        return ConnectorStack.clients(AwsEmulator.shared()).sync(Ec2Client.builder());
    }

    static KmsClient kms() {
        return ConnectorStack.clients(AwsEmulator.shared()).sync(KmsClient.builder());
    }
}
