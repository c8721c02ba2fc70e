package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.ScanReported;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.integrity.testing.EmulatedVault;
import io.cloudconnector.integrity.testing.Inbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Worker mode as a Batch container runs it (the emulator's Batch runs nothing): the service starts with the
 * {@code worker} profile and the job's environment, scans the vault's recovery point from the emulated S3
 * and KMS, and publishes {@code ScanReported} for the service — it does not end the job itself.
 */
@WithAwsEmulator
@ActiveProfiles("worker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ScanWorkerIT extends SecuredWebTests {

    static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J7";
    static final String REPORT = "r-01JD3ZRX5KQ0M8YV5D3M0RZ2J7";

    @TempDir
    static Path dir;

    static EmulatedVault vault;
    static String recoveryPoint;
    static Inbox events;

    @Autowired
    ScanWorker worker;

    /** Before the context starts: the worker scans while the application starts, as in its container. */
    @BeforeAll
    static void aVaultWithARecoveryPoint(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
        var clients = ConnectorStack.clients(emulator);
        vault = EmulatedVault.create(clients);
        var tree = dir.resolve("tree");
        DiskImages.write(tree, "home/anna/notes.txt", "notes".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(
                tree,
                "srv/www/upload.php",
                "<?php @eval(base64_decode($_POST['c'])); ?>".getBytes(StandardCharsets.US_ASCII));
        recoveryPoint = vault.backup(DiskImages.ext4(tree, dir.resolve("web.img"), "16M"));
        // A queue of the test's own: the integrity inbox may have listeners of other tests' cached contexts.
        var sqs = clients.sync(SqsClient.builder());
        var queue = sqs.createQueue(b -> b.queueName("scan-worker-it")).queueUrl();
        var queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        try (var bus = clients.sync(EventBridgeClient.builder())) {
            String busName = TestTokens.CONNECTOR_ID + "-bus";
            bus.putRule(b -> b.name("scan-worker-it")
                    .eventBusName(busName)
                    .eventPattern("{\"detail-type\": [\"ScanReported\", \"JobStarted\", \"JobSucceeded\"]}"));
            bus.putTargets(b -> b.rule("scan-worker-it")
                    .eventBusName(busName)
                    .targets(t -> t.id("events").arn(queueArn)));
        }
        events = new Inbox(sqs, "scan-worker-it");
    }

    @DynamicPropertySource
    static void theJobsEnvironment(DynamicPropertyRegistry registry) {
        // What the vault's scanner job definition and the submission set (BatchScanDispatcher).
        registry.add("connector.vault.id", () -> vault.id());
        registry.add("connector.vault.bucket", () -> vault.bucket());
        registry.add("connector.vault.key-arn", () -> vault.keyArn());
        registry.add("connector.integrity.worker.job-id", () -> JOB);
        registry.add("connector.integrity.worker.report-id", () -> REPORT);
        registry.add("connector.integrity.worker.recovery-point-id", () -> recoveryPoint);
        registry.add("connector.integrity.worker.asset-id", () -> EmulatedVault.ASSET);
        registry.add(
                "connector.integrity.scans.work-dir", () -> dir.resolve("work").toString());
        registry.add("connector.integrity.scans.threads", () -> "2");
    }

    @Test
    void scansTheRecoveryPointItIsGivenAndReportsItForTheServiceToStore() {
        assertThat(worker.getExitCode()).isZero();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(events.events(ScanReported.class))
                        .anyMatch(e -> e.jobId().equals(JOB)));
        var reported = events.events(ScanReported.class).stream()
                .filter(e -> e.jobId().equals(JOB))
                .findFirst()
                .orElseThrow();
        assertThat(reported.reportId()).isEqualTo(REPORT);
        assertThat(reported.recoveryPointId()).isEqualTo(recoveryPoint);
        assertThat(reported.vaultId()).isEqualTo(vault.id());
        assertThat(reported.assetId()).isEqualTo(EmulatedVault.ASSET);
        assertThat(reported.verdict()).isEqualTo(ScanVerdict.INFECTED);
        assertThat(reported.report().get("detections").toString())
                .contains("srv/www/upload.php", "Webshell_PHP_Eval_Request");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(events.events(JobStarted.class)).contains(new JobStarted(JOB, null)));
        // The job ends when the service has stored the report, not before.
        assertThat(events.events(JobSucceeded.class)).noneMatch(e -> e.jobId().equals(JOB));
    }
}
