package io.cloudconnector.provisioner.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.MutableClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Local mode: the provisioner starts a real {@code scalez serve} process (the engine's packaged CLI jar) for a
 * vault whose repository lives in the emulator's S3 with its KMS key, registers it for workers with a token the
 * server accepts, and stops it (SIGTERM, a drain) when the vault has been idle.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"provisioner.reconcile-enabled=false", "provisioner.mode=local"})
class LocalModeIT extends ProvisionerIntegrationTests {

    private final MutableClock clock = new MutableClock(Instant.now());
    /** The leaf certificate of the last TLS handshake, and the trust that records it (this test checks the pin). */
    private final AtomicReference<X509Certificate> presented = new AtomicReference<>();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(recordingTls(presented))
            .build();

    @DynamicPropertySource
    static void scalezCommand(DynamicPropertyRegistry registry) {
        registry.add("provisioner.local.command", () -> String.join(",", cli()));
    }

    private static List<String> cli() {
        var jar = Path.of("../scalez-engine/target/scalez.jar").toAbsolutePath().normalize();
        assertThat(jar)
                .as("the engine's CLI jar: build scalez-engine (mvn -pl scalez-engine package) first")
                .isRegularFile();
        var java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString());
    }

    @Test
    void aQueuedBackupStartsALocalServerThatWorkersCanUseAndIdleStopsIt() throws Exception {
        var vault = vault();
        initRepository(vault);
        var job = Ids.job();
        dispatch(
                new JobCreated(job, JobKind.EBS_BACKUP, vault.id(), "aws:ebs:123456789012:us-east-1:vol-9", null), job);
        var replica = replica("local-replica", clock);

        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    replica.reconcile(vaults.find(vault.id()).orElseThrow());
                    var live = servers.live(vault.id());
                    return live.size() == 1
                            && live.getFirst().state() == ServerState.RUNNING
                            && registration(vault, live.getFirst().id()).isPresent();
                });

        var server = servers.live(vault.id()).getFirst();
        assertThat(server.capacityType()).isEqualTo(CapacityType.LOCAL);
        assertThat(server.computeId()).startsWith("local:");
        var pid = Long.parseLong(server.computeId().substring("local:".length()));
        assertThat(ProcessHandle.of(pid))
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        var registration = registration(vault, server.id()).orElseThrow();
        assertThat(registration.get("state").s()).isEqualTo("running");
        var endpoint = URI.create(registration.get("endpoint").s());
        assertThat(endpoint.toString()).isEqualTo(server.endpoint());
        assertThat(endpoint.getScheme()).isEqualTo("https");
        // The fingerprint the server published for its own key, registered for the workers to pin.
        var fingerprint = registration.get("certificateSha256").s();
        assertThat(fingerprint).matches("[0-9a-f]{64}").isEqualTo(server.certificateSha256());
        var token = registration.get("token").s();
        // What a worker does: open a session on the registered server with the registered token.
        var status = http.send(
                HttpRequest.newBuilder(endpoint.resolve("/v1/status"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(presented.get().getEncoded())))
                .as("the certificate the server presents is the registered one")
                .isEqualTo(fingerprint);
        var repository = json(status).get("repository").asString();
        var session = http.send(
                HttpRequest.newBuilder(endpoint.resolve("/v1/sessions?repository=" + repository))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        var refused = http.send(
                HttpRequest.newBuilder(endpoint.resolve("/v1/sessions?repository=" + repository))
                        .header("Authorization", "Bearer not-the-token")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        var listed = call("GET", "/v1/scalez-servers?vaultId=" + vault.id(), Scopes.VAULTS_READ);
        assertThat(json(listed).get("items").get(0).get("capacityType").asString())
                .isEqualTo("local");

        // The job ends; after the idle time the server is asked to drain, exits, and is recorded stopped.
        dispatch(new JobStarted(job, 1L), job);
        dispatch(new JobSucceeded(job, new JobResult("rp-" + Ids.ulid(), null, null, null, null)), job);
        replica.reconcile(vaults.find(vault.id()).orElseThrow());
        assertThat(servers.live(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.RUNNING);
        clock.advance(properties.idleTimeout().plusMinutes(1));
        replica.reconcile(vaults.find(vault.id()).orElseThrow());
        assertThat(registration(vault, server.id())).isEmpty();
        assertThat(publishedCertificate(vault, server.id())).isEmpty();
        var process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(60, TimeUnit.SECONDS);
        }
        replica.reconcile(vaults.find(vault.id()).orElseThrow());
        assertThat(servers.live(vault.id())).isEmpty();
        assertThat(servers.all(vault.id())).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(ServerState.STOPPED);
            assertThat(s.stopReason()).startsWith("idle since");
        });
        try {
            http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/healthz")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            throw new AssertionError("the stopped server still answers");
        } catch (ConnectException expected) {
            // gone
        }
    }

    /** Initialises the vault's repository in its bucket with its KMS key, as the catalog does. */
    private static void initRepository(TestVault vault) throws IOException, InterruptedException {
        var command = new ArrayList<>(cli());
        command.addAll(List.of(
                "init",
                "--repo",
                "s3://" + vault.outputs().get("BucketName"),
                "--kms-key",
                vault.outputs().get("KeyArn"),
                "--vault",
                vault.id()));
        var log = Files.createTempFile("scalez-init", ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment()
                .put("AWS_ENDPOINT_URL", AwsEmulator.shared().endpoint().toString());
        builder.environment().put("AWS_REGION", AwsEmulator.REGION);
        builder.environment().put("AWS_ACCESS_KEY_ID", "test");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        var process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }

    /** Trusts any server certificate (the test compares it with the registration itself) and records it. */
    private static SSLContext recordingTls(AtomicReference<X509Certificate> presented) {
        try {
            var context = SSLContext.getInstance("TLSv1.3");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509ExtendedTrustManager() {
                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                                presented.set(chain[0]);
                            }

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                                presented.set(chain[0]);
                            }

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                                presented.set(chain[0]);
                            }

                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType)
                                    throws CertificateException {
                                throw new CertificateException("not a server");
                            }

                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                                    throws CertificateException {
                                throw new CertificateException("not a server");
                            }

                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                                    throws CertificateException {
                                throw new CertificateException("not a server");
                            }

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
