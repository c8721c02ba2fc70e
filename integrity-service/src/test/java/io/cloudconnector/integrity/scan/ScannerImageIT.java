package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.ScanReported;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.integrity.testing.EmulatedVault;
import io.cloudconnector.integrity.testing.Inbox;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * The vaults' scanner image as built by {@code ./connector images} ({@code scripts/scanner-image.sh}), checked
 * here without a container engine: the OCI archive's index, manifest, config and layers (digests, sizes, the
 * layers' uncompressed digests against the config's {@code diff_ids}); its layers unpacked into a root file
 * system, in which (through {@code chroot}, as root) {@code clamd} starts and finds the EICAR string, {@code yara}
 * runs the connector's rules, and the image's own entry point, with the environment the vault's scanner job
 * definition and a Batch submission give it, scans a recovery point of an emulated vault and reports it infected
 * through both engines. Only run when {@code -Dscanner.image=<archive>} names the archive
 * ({@code ./connector images --test}): building it takes minutes and needs a Debian mirror.
 */
@WithAwsEmulator
@EnabledIfSystemProperty(named = "scanner.image", matches = ".+")
class ScannerImageIT {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2K1";
    static final String REPORT = "r-01JD3ZRX5KQ0M8YV5D3M0RZ2K1";
    /** Not a {@code @TempDir}: a proc file system is mounted inside while the tests run. */
    static final Path WORK = Path.of("target", "scanner-image-it").toAbsolutePath();

    static Path layout;
    static Path rootfs;
    static JsonNode index;
    static JsonNode manifest;
    static JsonNode config;

    @BeforeAll
    static void unpackTheImage() throws Exception {
        unmountProc();
        run(List.of("rm", "-rf", WORK.toString()), Duration.ofMinutes(2));
        layout = Files.createDirectories(WORK.resolve("oci"));
        rootfs = Files.createDirectories(WORK.resolve("rootfs"));
        run(List.of("tar", "-xf", System.getProperty("scanner.image"), "-C", layout.toString()), Duration.ofMinutes(2));

        var json = EventCodec.standardMapper();
        index = json.readTree(Files.readAllBytes(layout.resolve("index.json")));
        assertThat(index.get("manifests").size()).isOne();
        manifest = json.readTree(blob(index.get("manifests").get(0)));
        config = json.readTree(blob(manifest.get("config")));
        for (JsonNode layer : manifest.get("layers")) {
            blob(layer);
            run(
                    List.of("tar", "-xzf", blobPath(layer).toString(), "-C", rootfs.toString(), "--numeric-owner"),
                    Duration.ofMinutes(5));
        }
        try (Stream<Path> files = Files.walk(rootfs)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(".wh.")))
                    .as("the layers only add files (no whiteouts to apply)")
                    .isEmpty();
        }
        // What a container runtime provides: device nodes, /proc, /etc/hosts.
        for (var device : List.of("null:1:3", "zero:1:5", "full:1:7", "random:1:8", "urandom:1:9")) {
            var part = device.split(":");
            run(
                    List.of(
                            "mknod",
                            "-m",
                            "666",
                            rootfs.resolve("dev/" + part[0]).toString(),
                            "c",
                            part[1],
                            part[2]),
                    Duration.ofSeconds(10));
        }
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        run(List.of("mount", "-t", "proc", "proc", rootfs.resolve("proc").toString()), Duration.ofSeconds(10));
    }

    @AfterAll
    static void unmountProc() throws Exception {
        if (Files.readString(Path.of("/proc/mounts"))
                .contains(WORK.resolve("rootfs/proc").toString())) {
            run(List.of("umount", "-l", WORK.resolve("rootfs/proc").toString()), Duration.ofSeconds(30));
        }
    }

    @Test
    void theArchiveIsAnOciImageThatRunsTheWorkerAsANonRootUser() throws Exception {
        assertThat(Files.readString(layout.resolve("oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
        assertThat(index.get("manifests").get(0).get("mediaType").asString())
                .isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(index.get("manifests").get(0).get("annotations").get("org.opencontainers.image.ref.name"))
                .as("the tag skopeo copy oci-archive:…:TAG names")
                .isNotNull();
        assertThat(manifest.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(manifest.get("config").get("mediaType").asString())
                .isEqualTo("application/vnd.oci.image.config.v1+json");
        var layers = manifest.get("layers");
        assertThat(layers.size()).as("Debian, the Java runtime, the app").isEqualTo(3);
        var diffIds = config.get("rootfs").get("diff_ids");
        assertThat(diffIds.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(layers.get(i).get("mediaType").asString())
                    .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(blobPath(layers.get(i))))) {
                assertThat("sha256:" + sha256(in))
                        .as("uncompressed layer %d against the config's diff_id", i)
                        .isEqualTo(diffIds.get(i).asString());
            }
        }
        assertThat(config.get("os").asString()).isEqualTo("linux");
        assertThat(config.get("architecture").asString()).isEqualTo("amd64");
        var run = config.get("config");
        assertThat(strings(run.get("Entrypoint")))
                .startsWith("/opt/java/bin/java")
                .endsWith("-jar", "/app/integrity-service.jar");
        assertThat(strings(run.get("Env"))).contains("SPRING_PROFILES_ACTIVE=worker", "JAVA_HOME=/opt/java");
        assertThat(run.get("User").asString()).isEqualTo("65532:65532");
        assertThat(run.get("WorkingDir").asString()).isEqualTo("/app");
        // What runs in it: the jar, the runtime, clamd and yara, the scanner user.
        assertThat(rootfs.resolve("app/integrity-service.jar")).isRegularFile();
        assertThat(rootfs.resolve("opt/java/bin/java")).isExecutable();
        assertThat(rootfs.resolve("usr/sbin/clamd")).isExecutable();
        assertThat(rootfs.resolve("usr/bin/yara")).isExecutable();
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("scanner:x:65532:65532:");
        assertThat(rootfs.resolve("etc/cloudconnector/yara")).isDirectory();
    }

    @Test
    void yaraRunsTheConnectorsRulesInsideTheImage() throws Exception {
        var dir = Files.createDirectories(rootfs.resolve("tmp/yara-it/samples"));
        copyResource("/signatures/cloudconnector.yar", rootfs.resolve("tmp/yara-it/cloudconnector.yar"));
        Files.writeString(dir.resolve("eicar.com"), EICAR);
        Files.writeString(dir.resolve("notes.txt"), "nothing to see");

        var out = run(
                List.of(
                        "chroot",
                        rootfs.toString(),
                        "/usr/bin/yara",
                        "-r",
                        "/tmp/yara-it/cloudconnector.yar",
                        "/tmp/yara-it/samples"),
                Duration.ofMinutes(1));

        assertThat(out).contains("CloudConnector_EICAR /tmp/yara-it/samples/eicar.com");
        assertThat(out).doesNotContain("notes.txt");
    }

    @Test
    void clamdStartsInsideTheImageAndFindsTheEicarString() throws Exception {
        var dir = Files.createDirectories(rootfs.resolve("tmp/clamd-it"));
        Files.createDirectories(dir.resolve("db"));
        for (var name : List.of("cloudconnector.ndb", "cloudconnector.hdb", "cloudconnector.ldb")) {
            copyResource("/signatures/" + name, dir.resolve("db/" + name));
        }
        Files.writeString(dir.resolve("eicar.com"), EICAR);
        Files.writeString(
                dir.resolve("clamd.conf"),
                String.join(
                        "\n",
                        "Foreground yes",
                        "LocalSocket /tmp/clamd-it/clamd.sock",
                        "DatabaseDirectory /tmp/clamd-it/db",
                        "TemporaryDirectory /tmp/clamd-it",
                        ""));
        var clamd = new ProcessBuilder(
                        "chroot", rootfs.toString(), "/usr/sbin/clamd", "--config-file=/tmp/clamd-it/clamd.conf")
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("clamd.out").toFile())
                .start();
        try {
            var socket = dir.resolve("clamd.sock");
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(() -> !clamd.isAlive())
                    .until(() -> Files.exists(socket));
            assertThat(ask(socket, "zVERSION")).startsWith("ClamAV 1.");
            assertThat(ask(socket, "zSCAN /tmp/clamd-it/eicar.com"))
                    .isEqualTo("/tmp/clamd-it/eicar.com: CloudConnector.Test.EICAR.UNOFFICIAL FOUND");
        } finally {
            clamd.destroy();
            clamd.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theImagesEntryPointScansARecoveryPointAsTheBatchJobWould(AwsEmulator emulator) throws Exception {
        ConnectorStack.deploy(emulator);
        var clients = ConnectorStack.clients(emulator);
        var vault = EmulatedVault.create(clients);
        var tree = WORK.resolve("tree");
        DiskImages.write(tree, "home/anna/notes.txt", "notes".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "tmp/eicar.com", EICAR.getBytes(StandardCharsets.US_ASCII));
        String recoveryPoint = vault.backup(DiskImages.ext4(tree, WORK.resolve("disk.img"), "16M"));
        var sqs = clients.sync(SqsClient.builder());
        var queue = sqs.createQueue(b -> b.queueName("scanner-image-it")).queueUrl();
        var queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String bus = TestTokens.CONNECTOR_ID + "-bus";
        try (var events = clients.sync(EventBridgeClient.builder())) {
            events.putRule(b ->
                    b.name("scanner-image-it").eventBusName(bus).eventPattern("{\"detail-type\": [\"ScanReported\"]}"));
            events.putTargets(b -> b.rule("scanner-image-it")
                    .eventBusName(bus)
                    .targets(t -> t.id("events").arn(queueArn)));
        }
        var inbox = new Inbox(sqs, "scanner-image-it");

        // The image's configuration as a container runtime applies it: user, working directory, environment,
        // entry point; then the job definition's environment (vault.yaml) and the submission's (BatchScanDispatcher),
        // and the emulator's endpoint and credentials in place of the job role.
        var run = config.get("config");
        Map<String, String> env = new TreeMap<>();
        for (var entry : strings(run.get("Env"))) {
            env.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        }
        env.putAll(Map.of(
                "CONNECTOR_ID", TestTokens.CONNECTOR_ID,
                "AWS_REGION", emulator.region(),
                "CONNECTOR_AWS_REGION", emulator.region(),
                "CONNECTOR_EVENT_BUS", bus,
                "CONNECTOR_VAULT_ID", vault.id(),
                "CONNECTOR_VAULT_BUCKET", vault.bucket(),
                "CONNECTOR_VAULT_KEY_ARN", vault.keyArn()));
        env.putAll(Map.of(
                "SPRING_PROFILES_ACTIVE",
                "worker",
                "CONNECTOR_INTEGRITY_WORKER_JOB_ID",
                JOB,
                "CONNECTOR_INTEGRITY_WORKER_REPORT_ID",
                REPORT,
                "CONNECTOR_INTEGRITY_WORKER_RECOVERY_POINT_ID",
                recoveryPoint,
                "CONNECTOR_INTEGRITY_WORKER_ASSET_ID",
                EmulatedVault.ASSET,
                "CONNECTOR_AWS_ENDPOINT",
                emulator.endpoint().toString(),
                "CONNECTOR_AWS_ACCESS_KEY_ID",
                emulator.accessKeyId(),
                "CONNECTOR_AWS_SECRET_ACCESS_KEY",
                emulator.secretAccessKey(),
                "CONNECTOR_INTEGRITY_SCANS_THREADS",
                "2"));
        List<String> command = new ArrayList<>(List.of(
                "chroot",
                "--userspec=" + run.get("User").asString(),
                rootfs.toString(),
                "/usr/bin/env",
                "-i",
                "--chdir=" + run.get("WorkingDir").asString()));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(strings(run.get("Entrypoint")));
        if (run.has("Cmd") && !run.get("Cmd").isNull()) {
            command.addAll(strings(run.get("Cmd")));
        }
        var log = WORK.resolve("worker.log");
        var worker = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!worker.waitFor(5, TimeUnit.MINUTES)) {
            worker.destroyForcibly();
        }
        assertThat(worker.exitValue())
                .as("the worker's exit code; its log:%n%s", Files.readString(log))
                .isZero();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(inbox.events(ScanReported.class))
                        .anyMatch(e -> e.jobId().equals(JOB)));
        var reported = inbox.events(ScanReported.class).stream()
                .filter(e -> e.jobId().equals(JOB))
                .findFirst()
                .orElseThrow();
        assertThat(reported.verdict()).isEqualTo(ScanVerdict.INFECTED);
        assertThat(reported.reportId()).isEqualTo(REPORT);
        var report = reported.report().toString();
        assertThat(report)
                .as("both engines ran inside the image")
                .contains("CloudConnector.Test.EICAR.UNOFFICIAL", "CloudConnector_EICAR", "tmp/eicar.com");
        // The engines' versions are those of the image's programs, not the machine's.
        var clamdVersion = run(
                        List.of("chroot", rootfs.toString(), "/usr/sbin/clamd", "--version"), Duration.ofMinutes(1))
                .strip();
        var yaraVersion = run(List.of("chroot", rootfs.toString(), "/usr/bin/yara", "--version"), Duration.ofMinutes(1))
                .strip();
        assertThat(report).contains(clamdVersion.split("/")[0], yaraVersion);
    }

    private static String ask(Path socket, String command) throws IOException {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\0").getBytes(StandardCharsets.US_ASCII)));
            var answer = new java.io.ByteArrayOutputStream();
            var buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) > 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII).replace("\0", "").strip();
        }
    }

    /** The blob a descriptor names, after checking its size and digest. */
    private static byte[] blob(JsonNode descriptor) throws Exception {
        var path = blobPath(descriptor);
        assertThat(Files.size(path))
                .as("size of %s", descriptor.get("digest"))
                .isEqualTo(descriptor.get("size").asLong());
        try (var in = Files.newInputStream(path)) {
            assertThat("sha256:" + sha256(in))
                    .isEqualTo(descriptor.get("digest").asString());
        }
        return Files.size(path) < 1 << 20 ? Files.readAllBytes(path) : new byte[0];
    }

    private static Path blobPath(JsonNode descriptor) {
        var digest = descriptor.get("digest").asString();
        assertThat(digest).startsWith("sha256:");
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static String sha256(InputStream in) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        var buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = ScannerImageIT.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.write(target, in.readAllBytes());
        }
    }

    private static String run(List<String> command, Duration timeout) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("%s: %s", command, out).isZero();
        return out;
    }
}
