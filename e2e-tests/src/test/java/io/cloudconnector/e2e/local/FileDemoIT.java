package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.backgroundjobs.BackgroundJobsApplication;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The demo's file step against the real background-jobs service in the emulator: an ext4 image made by {@code
 * mke2fs -d} from a directory is backed up into a vault's repository and recorded as the service's recovery point,
 * then {@link FileDemo} lists a directory and fetches its largest file through the API, comparing both with the
 * directory. The demo itself needs the fixed ports of a local stack, which tests cannot take; here the service runs
 * on a free port and the point is written by the engine rather than by a backup job. (e2e-tests has every service on
 * its classpath, so the context reads the first {@code application.yaml} found, not necessarily background-jobs' own;
 * the properties the file API needs are its defaults or set here.)
 */
@SpringBootTest(
        classes = BackgroundJobsApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"connector.jobs.mode=local", "connector.jobs.reconcile-interval=1h"})
@DirtiesContext
class FileDemoIT extends ServiceIntegrationTests {

    @TempDir
    Path dir;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    RecoveryPointStore points;

    @Override
    protected String listPath() {
        return "/v1/restores";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @Test
    void theStepListsADirectoryAndFetchesAFileEqualToTheSource() throws Exception {
        var source = Files.createDirectories(dir.resolve("source"));
        var random = new Random(3);
        var big = new byte[3 * 1024 * 1024 + 5];
        random.nextBytes(big);
        Files.createDirectories(source.resolve("lib/security"));
        Files.write(source.resolve("lib/modules.bin"), big);
        Files.writeString(source.resolve("lib/small.txt"), "small\n");
        Files.writeString(source.resolve("lib/security/policy"), "grant {}\n");
        Files.writeString(source.resolve("release"), "JAVA_VERSION=\"25\"\n");
        String point = backup(source);

        var printed = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();
        var report = new FileDemo(
                        URI.create("http://127.0.0.1:" + port),
                        TOKENS.token(Scopes.FILES_READ),
                        new PrintStream(printed, true, StandardCharsets.UTF_8),
                        failures)
                .run(point, source);

        assertThat(failures).isEmpty();
        assertThat(report).containsEntry("volume", "disk0").containsEntry("directory", "/lib");
        assertThat(report.get("entries")).isEqualTo(3);
        assertThat(report.get("file").toString()).contains("path=/lib/modules.bin", "match=true");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("small.txt", "security", "MATCH");

        // The same step against a source that differs: the difference is a failure, not a pass.
        Files.write(source.resolve("lib/modules.bin"), new byte[big.length]);
        List<String> differing = new ArrayList<>();
        new FileDemo(
                        URI.create("http://127.0.0.1:" + port),
                        TOKENS.token(Scopes.FILES_READ),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        differing)
                .run(point, source);
        assertThat(differing).singleElement().asString().contains("/lib/modules.bin", "differs");
    }

    /** A vault as the catalog makes one, the image of {@code tree} backed up into it, recorded as the service's point. */
    private String backup(Path tree) throws Exception {
        var emulator = AwsEmulator.shared();
        var clients = ConnectorStack.clients(emulator);
        String vaultId = Ids.vault();
        String bucket = TestTokens.CONNECTOR_ID + "-" + vaultId;
        var image = dir.resolve("fs.img");
        var mke2fs = new ProcessBuilder(
                        "mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), image.toString(), "32M")
                .redirectErrorStream(true)
                .start();
        String output = new String(mke2fs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mke2fs.waitFor()).as(output).isZero();
        String id;
        try (var s3 = clients.s3();
                var kms = clients.sync(KmsClient.builder());
                var dynamo = clients.sync(DynamoDbClient.builder())) {
            s3.createBucket(b -> b.bucket(bucket));
            dynamo.createTable(b -> b.tableName(bucket)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            String key = kms.createKey(b -> b.description("vault " + vaultId))
                    .keyMetadata()
                    .arn();
            var repository =
                    Repository.init(new S3BlobStore(s3, bucket, ""), new KeyCredential.KmsKey(kms, key, vaultId));
            try (var blocks = ImageFileSource.open(image)) {
                id = repository.backupBlocks(blocks, BackupOptions.defaults()).id();
            }
            inbox.dispatch(EventEnvelope.wrap(
                    new VaultCreated(vaultId, "files-demo", emulator.region(), bucket, key),
                    TestTokens.CONNECTOR_ID,
                    null,
                    Clock.systemUTC()));
        }
        points.record(new KnownRecoveryPoint(
                id,
                vaultId,
                "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:vol-0demo",
                RecoveryPointKind.EBS,
                Instant.now(),
                null,
                Ids.job(),
                32L << 20,
                List.of(),
                null,
                RecoveryPointStatus.AVAILABLE));
        return id;
    }
}
