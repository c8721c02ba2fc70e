package io.cloudconnector.scalez.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.repo.lock.DynamoDbLocks;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The scalez command as scripts use it, run as a separate process. */
@WithAwsEmulator
class CliIT {

    private static final Pattern BACKUP_JSON = Pattern.compile(
            "\\{\"recoveryPointId\":\"(rp-[0-9A-Z]{26})\",\"bytesProcessed\":(\\d+),\"bytesAdded\":(\\d+),\"durationSeconds\":[0-9.]+}\n");

    @TempDir
    Path dir;

    private final Cli cli = new Cli(Map.of("SCALEZ_PASSWORD", "cli test passphrase"));

    private static byte[] image() {
        var data = new byte[6 * 512 * 1024];
        var random = new Random(1);
        for (int block : new int[] {0, 2, 5}) {
            var b = new byte[512 * 1024];
            random.nextBytes(b);
            System.arraycopy(b, 0, data, block * 512 * 1024, b.length);
        }
        return data;
    }

    /**
     * A repository whose key uses a cheap Argon2id cost, so that the many CLI runs of a test do not each spend the
     * default KDF's half second; {@code init} itself is run through the CLI in the first test.
     */
    private String cheapRepository() {
        var path = dir.resolve("repo");
        io.cloudconnector.scalez.repo.Repository.init(
                new io.cloudconnector.scalez.blob.FileSystemBlobStore(path),
                new io.cloudconnector.scalez.crypto.KeyCredential.Passphrase(
                        "cli test passphrase", new io.cloudconnector.scalez.crypto.KdfParameters(1024, 1, 1)),
                io.cloudconnector.scalez.model.RepositorySettings.defaults(),
                io.cloudconnector.scalez.repo.RepositoryOptions.defaults());
        return path.toString();
    }

    @Test
    void thePackagedJarUsesZstdsJniBindingNotItsForeignFunctionOne() throws Exception {
        try (var jar = new java.util.jar.JarFile(System.getProperty("scalez.cli.jar"))) {
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
                    .noneMatch(name -> name.startsWith("META-INF/versions/22/com/github/luben/"))
                    .contains("com/github/luben/zstd/Zstd.class", "com/github/luben/zstd/ZstdCompressCtx.class");
        }
    }

    @Test
    void everySubcommandOfThePackagedJarAnswersHelpWithItsUsage() throws Exception {
        for (var subcommand : CliTests.subcommands()) {
            var flag = subcommand.hashCode() % 2 == 0 ? "--help" : "-h";
            var run = cli.run(dir, subcommand, flag);
            assertThat(run.exitCode())
                    .as("scalez %s %s: %s", subcommand, flag, run.stderr())
                    .isZero();
            assertThat(run.stdout()).startsWith("Usage: scalez " + subcommand).contains("--repo=<repo>");
        }
        var serve = cli.run(dir, "serve", "--help");
        assertThat(serve.exitCode()).isZero();
        assertThat(serve.stdout()).contains("--listen").doesNotContain("Missing required option");
    }

    @Test
    void initBackupListRestoreCheckOnADirectory() throws Exception {
        var init = cli.run(dir, "init", "--repo", dir.resolve("by-cli").toString());
        assertThat(init.exitCode()).isZero();
        assertThat(init.stdout()).startsWith("created repository ");
        assertThat(cli.run(dir, "list", "--repo", dir.resolve("by-cli").toString())
                        .exitCode())
                .isZero();
        var repo = cheapRepository();
        Files.write(dir.resolve("disk.img"), image());

        var backup = cli.run(dir, "backup", "--repo", repo, "--json", "--block", "disk.img");
        assertThat(backup.exitCode()).isZero();
        var json = BACKUP_JSON.matcher(backup.stdout());
        assertThat(json.matches()).as(backup.stdout()).isTrue();
        var rp = json.group(1);
        assertThat(Long.parseLong(json.group(2))).isEqualTo(6 * 512 * 1024);

        var again = BACKUP_JSON.matcher(
                cli.run(dir, "backup", "--repo", repo, "--json", "--parent", rp, "--block", "disk.img")
                        .stdout());
        assertThat(again.matches()).isTrue();
        assertThat(Long.parseLong(again.group(3))).as("nothing new to upload").isLessThan(4096);

        Files.createDirectories(dir.resolve("tree/a"));
        Files.writeString(dir.resolve("tree/a/hello.txt"), "hello\n");
        var treeRp = BACKUP_JSON.matcher(
                cli.run(dir, "backup", "--repo", repo, "--json", "tree").stdout());
        assertThat(treeRp.matches()).isTrue();

        var list = cli.run(dir, "list", "--repo", repo, "--json");
        assertThat(list.stdout())
                .startsWith("{\"items\":[")
                .contains(rp)
                .contains("\"kind\":\"block\"")
                .contains("\"kind\":\"tree\"");

        assertThat(cli.run(dir, "restore", "--repo", repo, rp, "--target", "restored.img")
                        .exitCode())
                .isZero();
        assertThat(Files.readAllBytes(dir.resolve("restored.img"))).isEqualTo(image());
        assertThat(cli.run(dir, "restore", "--repo", repo, treeRp.group(1), "--target", "out")
                        .exitCode())
                .isZero();
        assertThat(Files.readString(dir.resolve("out/a/hello.txt"))).isEqualTo("hello\n");

        var check = cli.run(dir, "check", "--repo", repo, "--read-data");
        assertThat(check.exitCode()).isZero();
        assertThat(check.stdout()).contains("no damage found");
        assertThat(cli.run(dir, "stats", "--repo", repo).stdout()).contains("dedup ratio");
        assertThat(cli.run(dir, "cat", "--repo", repo, "snapshots/" + rp).stdout())
                .contains(rp);
        assertThat(cli.run(dir, "cat", "--repo", repo, "config").stdout())
                .contains("format version 2 (a key per chunk)");

        var pipe = cli.builder(dir, "backup", "--repo", repo, "--json", "-")
                .redirectInput(dir.resolve("disk.img").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        var piped = new String(pipe.getInputStream().readAllBytes());
        assertThat(pipe.waitFor()).isZero();
        assertThat(BACKUP_JSON.matcher(piped).matches()).isTrue();
    }

    @Test
    void errorsAreOneLineOnStderrAndDamageMakesCheckFail() throws Exception {
        var repo = cheapRepository();
        Files.write(dir.resolve("disk.img"), image());
        cli.run(dir, "backup", "--repo", repo, "--block", "disk.img");

        var wrong = new Cli(Map.of("SCALEZ_PASSWORD", "not it")).run(dir, "list", "--repo", repo);
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).isEqualTo("scalez: Wrong passphrase\n");
        assertThat(wrong.stdout()).isEmpty();

        var missing = cli.run(dir, "restore", "--repo", repo, "rp-01ARZ3NDEKTSV4RRFFQ69G5FAV", "--target", "x");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr().lines()).singleElement().asString().startsWith("scalez: No recovery point");

        Path pack;
        try (var packs = Files.walk(dir.resolve("repo/packs"))) {
            pack = packs.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        try (var file = new RandomAccessFile(pack.toFile(), "rw")) {
            file.seek(1000);
            int b = file.read();
            file.seek(1000);
            file.write(b ^ 0x20);
        }
        var check = cli.run(dir, "check", "--repo", repo, "--read-data");
        assertThat(check.exitCode()).isEqualTo(3);
        var packKey = dir.resolve("repo").relativize(pack).toString();
        assertThat(check.stdout()).contains("damaged " + packKey);
        assertThat(check.stderr().lines()).singleElement().asString().contains(packKey);
    }

    @Test
    void anS3RepositoryWithAKmsKeyTakesItsEndpointFromTheEnvironment(AwsEmulator emulator) throws Exception {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey()));
        String keyId;
        try (var kms = KmsClient.builder()
                        .endpointOverride(emulator.endpoint())
                        .region(Region.of(emulator.region()))
                        .credentialsProvider(credentials)
                        .build();
                var s3 = S3Client.builder()
                        .endpointOverride(emulator.endpoint())
                        .region(Region.of(emulator.region()))
                        .credentialsProvider(credentials)
                        .forcePathStyle(true)
                        .build()) {
            keyId = kms.createKey(r -> r.description("cli")).keyMetadata().keyId();
            s3.createBucket(r -> r.bucket("cli-vault"));
        }
        var aws = new Cli(Map.of(
                "AWS_ENDPOINT_URL",
                emulator.endpoint().toString(),
                "AWS_REGION",
                emulator.region(),
                "AWS_ACCESS_KEY_ID",
                emulator.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY",
                emulator.secretAccessKey()));
        var repo = "s3://cli-vault/repos/one";
        var kmsArgs = new String[] {"--repo", repo, "--kms-key", keyId, "--vault", "vlt-cli"};
        assertThat(aws.run(dir, concat(new String[] {"init"}, kmsArgs)).exitCode())
                .isZero();
        Files.write(dir.resolve("disk.img"), image());
        var backup = aws.run(dir, concat(new String[] {"backup", "--json", "--block", "disk.img"}, kmsArgs));
        var json = BACKUP_JSON.matcher(backup.stdout());
        assertThat(json.matches()).as(backup.stderr()).isTrue();
        assertThat(aws.run(dir, concat(new String[] {"restore", json.group(1), "--target", "back.img"}, kmsArgs))
                        .exitCode())
                .isZero();
        assertThat(Files.readAllBytes(dir.resolve("back.img"))).isEqualTo(image());

        var wrongVault = aws.run(dir, "list", "--repo", repo, "--kms-key", keyId, "--vault", "vlt-other");
        assertThat(wrongVault.exitCode()).isEqualTo(1);
        assertThat(wrongVault.stderr())
                .startsWith("scalez: KMS refused")
                .contains("vlt-other")
                .hasLineCount(1);
    }

    @Test
    void withALockTableTheCommandsLockInDynamoDbAndWaitForItsLocks(AwsEmulator emulator) throws Exception {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey()));
        try (var dynamo = DynamoDbClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.of(emulator.region()))
                .credentialsProvider(credentials)
                .build()) {
            dynamo.createTable(b -> b.tableName("cli-vault-table")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            var env = Map.of(
                    "SCALEZ_PASSWORD",
                    "cli test passphrase",
                    "AWS_ENDPOINT_URL",
                    emulator.endpoint().toString(),
                    "AWS_REGION",
                    emulator.region(),
                    "AWS_ACCESS_KEY_ID",
                    emulator.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY",
                    emulator.secretAccessKey());
            var repo = cheapRepository();
            Files.write(dir.resolve("disk.img"), image());
            var locks = new DynamoDbLocks(
                    dynamo, "cli-vault-table", Clock.systemUTC(), Duration.ofMinutes(10), Duration.ZERO);

            // The table from SCALEZ_LOCK_TABLE: the backup waits while another process holds the exclusive lock.
            var withEnvTable = new HashMap<>(env);
            withEnvTable.put("SCALEZ_LOCK_TABLE", "cli-vault-table");
            var backup = new Cli(withEnvTable)
                    .builder(dir, "backup", "--repo", repo, "--json", "--block", "disk.img")
                    .redirectOutput(dir.resolve("backup.out").toFile())
                    .redirectError(dir.resolve("backup.err").toFile());
            try (var prune = locks.lockExclusive("prune elsewhere")) {
                var process = backup.start();
                assertThat(process.waitFor(3, TimeUnit.SECONDS))
                        .as("the backup waits for the lock")
                        .isFalse();
                prune.close();
                assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue())
                        .as(Files.readString(dir.resolve("backup.err")))
                        .isZero();
            }
            assertThat(BACKUP_JSON
                            .matcher(Files.readString(dir.resolve("backup.out")))
                            .matches())
                    .isTrue();

            // --lock-table: prune waits while another process holds a shared lock in the table.
            var prune = new Cli(env)
                    .builder(dir, "prune", "--repo", repo, "--lock-table", "cli-vault-table")
                    .redirectOutput(dir.resolve("prune.out").toFile())
                    .redirectError(dir.resolve("prune.err").toFile());
            try (var backupElsewhere = locks.lockShared("backup elsewhere")) {
                var process = prune.start();
                assertThat(process.waitFor(3, TimeUnit.SECONDS))
                        .as("prune waits for the lock")
                        .isFalse();
                backupElsewhere.close();
                assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue())
                        .as(Files.readString(dir.resolve("prune.err")))
                        .isZero();
            }
            assertThat(dynamo.scan(b -> b.tableName("cli-vault-table")).items()).isEmpty();
            var lockObjects = Path.of(repo).resolve("locks");
            if (Files.isDirectory(lockObjects)) {
                try (var objects = Files.list(lockObjects)) {
                    assertThat(objects.toList())
                            .as("no lock objects in the repository")
                            .isEmpty();
                }
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        var out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
