package io.cloudconnector.scalez.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.remote.SealedBlob;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's refusals, in process over real HTTP: each bad request gets its problem JSON and status and changes
 * nothing the writer holds.
 */
class ScalezServerTests {

    private static final String TOKEN = "unit-test-token";

    /** HTTP/1.1 as the real client (ScalezServerClient), trusting exactly the server's certificate. */
    private HttpClient http;

    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private Repository repository;
    private SharedWriter writer;
    private ScalezServer server;
    private String session;

    @BeforeEach
    void start() throws Exception {
        repository = Repository.init(
                store,
                new KeyCredential.Passphrase("pw", new KdfParameters(1024, 1, 1)),
                RepositorySettings.defaults(),
                RepositoryOptions.defaults());
        writer = SharedWriter.open(repository, 1);
        server = ScalezServer.start(
                writer,
                ServerOptions.defaults(new InetSocketAddress("127.0.0.1", 0), ServerTokens.sha256(TOKEN))
                        .withLimits(1 << 20, 2 << 20, 2),
                e -> {});
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(PinnedCertificate.sslContext(server.certificateSha256()))
                .build();
        var opened = send("POST", "/v1/sessions?repository=" + repository.id(), new byte[0]);
        assertThat(opened.statusCode()).isEqualTo(201);
        session = opened.headers().firstValue("Scalez-Session").orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        if (server.state() == ScalezServer.State.SERVING) {
            send("DELETE", "/v1/sessions/" + session, new byte[0]);
        }
        server.close();
        writer.close();
    }

    static Stream<Arguments> badRequests() {
        var id = ObjectId.sha256(new byte[] {1});
        return Stream.of(
                Arguments.of("an id list that is not whole ids", "missing", new byte[33], 400, "malformed"),
                Arguments.of("a blob frame cut short", "blobs", new byte[20], 400, "malformed"),
                Arguments.of(
                        "a blob longer than its body",
                        "blobs",
                        truncated(Wire.blobs(List.of(new SealedBlob(id, 0, 1, 10, new byte[40])))),
                        400,
                        "malformed"),
                Arguments.of(
                        "a blob that does not authenticate",
                        "blobs",
                        Wire.blobs(List.of(new SealedBlob(id, 0, 1, 10, new byte[40]))),
                        422,
                        "rejected"),
                Arguments.of(
                        "an unknown blob type",
                        "blobs",
                        Wire.blobs(List.of(new SealedBlob(id, 9, 1, 10, new byte[40]))),
                        422,
                        "rejected"),
                Arguments.of("a body over the request limit", "blobs", new byte[(1 << 20) + 1], 413, "too-large"),
                Arguments.of(
                        "a manifest for no recovery point",
                        "commit?recoveryPoint=nope",
                        new byte[10],
                        400,
                        "malformed"),
                Arguments.of(
                        "a manifest that does not open",
                        "commit?recoveryPoint=rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                        new byte[64],
                        422,
                        "rejected"));
    }

    private static byte[] truncated(byte[] frame) {
        return java.util.Arrays.copyOf(frame, frame.length - 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesWithProblemJsonAndStoresNothing(String what, String action, byte[] body, int status, String code)
            throws Exception {
        var response = send("POST", "/v1/sessions/" + session + "/" + action, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Scalez-Error")).hasValue(code);
        assertThat(response.body()).contains("\"status\":" + status);
        assertThat(writer.stats().blobsStored()).isZero();
        assertThat(store.list("packs/")).isEmpty();
        assertThat(store.list("snapshots/")).isEmpty();
        assertThat(server.state()).isEqualTo(ScalezServer.State.SERVING);
    }

    @Test
    void aClientKeepsTalkingAfterItsBodyWasRefused() throws Exception {
        for (int i = 0; i < 20; i++) {
            // Too large: read and dropped, so the client gets its answer and the connection stays usable.
            assertThat(send("POST", "/v1/sessions/" + session + "/blobs", new byte[(1 << 20) + 1])
                            .statusCode())
                    .isEqualTo(413);
            assertThat(send("GET", "/v1/status", new byte[0]).statusCode()).isEqualTo(200);
            // Refused before its body was read: the server says it closes the connection, so the client does not
            // send its next request into it.
            var unauthorized = http.send(
                    HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/sessions/" + session + "/blobs"))
                            .header("Authorization", "Bearer wrong")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(unauthorized.headers().firstValue("Connection"))
                    .hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
            assertThat(send("GET", "/v1/status", new byte[0]).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unknownSessionsRepositoriesAndTokensAreRefused() throws Exception {
        assertThat(send("POST", "/v1/sessions/0000/missing", new byte[0]).statusCode())
                .isEqualTo(404);
        assertThat(send("POST", "/v1/sessions?repository=another", new byte[0]).statusCode())
                .isEqualTo(409);
        var noToken = http.send(
                HttpRequest.newBuilder(server.endpoint().resolve("/v1/status"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        // Two sessions are the limit configured here: the third is told the server is busy.
        assertThat(send("POST", "/v1/sessions?repository=" + repository.id(), new byte[0])
                        .statusCode())
                .isEqualTo(201);
        assertThat(send("POST", "/v1/sessions?repository=" + repository.id(), new byte[0])
                        .statusCode())
                .isEqualTo(503);
    }

    @Test
    void aDrainedServerStopsListening() throws Exception {
        server.drain();

        assertThat(server.state()).isEqualTo(ScalezServer.State.STOPPED);
        assertThat(server.stopped()).isDone();
        try {
            send("POST", "/v1/sessions/" + session + "/missing", new byte[0]);
            throw new AssertionError("a stopped server answered");
        } catch (java.io.IOException expected) {
            // nothing listens any more
        }
    }

    @Test
    void aClientWhoseServerDrainsIsToldToHandOff() throws Exception {
        var remote = ScalezServers.at(server.endpoint(), TOKEN, server.certificateSha256())
                .open(repository.id(), "hand-off test")
                .orElseThrow();
        var id = ObjectId.sha256(new byte[] {2});
        assertThat(remote.missing(List.of(id))).containsExactly(id);

        var drain = Thread.ofVirtual().start(server::drain);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> server.state() != ScalezServer.State.SERVING);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> remote.missing(List.of(id)))
                .isInstanceOf(io.cloudconnector.scalez.remote.RemoteWriterUnavailableException.class);
        remote.handOff();
        drain.join();
        assertThat(server.state()).isEqualTo(ScalezServer.State.STOPPED);
    }

    @Test
    void theServerSpeaksOnlyTls13WithTheCertificateItRegisters() throws Exception {
        assertThat(server.endpoint().getScheme()).isEqualTo("https");
        assertThat(server.certificateSha256()).matches("[0-9a-f]{64}");

        var seen = new java.util.concurrent.atomic.AtomicReference<java.security.cert.Certificate[]>();
        var context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        var pin = new PinnedCertificate.Pin(server.certificateSha256()) {
            @Override
            public void checkServerTrusted(
                    java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                    throws java.security.cert.CertificateException {
                seen.set(chain);
                super.checkServerTrusted(chain, authType, engine);
            }
        };
        context.init(null, new javax.net.ssl.TrustManager[] {pin}, null);
        var client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(context)
                .build();
        var status = client.send(
                HttpRequest.newBuilder(server.endpoint().resolve("/v1/status"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.sslSession())
                .hasValueSatisfying(ssl -> assertThat(ssl.getProtocol()).isEqualTo("TLSv1.3"));
        // Self-signed, naming no host: the pin is the only thing that makes it trusted, and 127.0.0.1 is accepted
        // although the certificate does not name it (no host-name check).
        var leaf = (java.security.cert.X509Certificate) seen.get()[0];
        assertThat(ServerCertificate.sha256(leaf)).isEqualTo(server.certificateSha256());
        assertThat(leaf.getSubjectX500Principal()).isEqualTo(leaf.getIssuerX500Principal());
        assertThat(leaf.getSubjectAlternativeNames()).isNull();

        // Plain HTTP on the same port gets no answer that a client could take for the server's.
        var plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var plainUri = URI.create(server.endpoint().toString().replace("https://", "http://") + "/healthz");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(
                        HttpRequest.newBuilder(plainUri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        // Each server has its own key: another one has another fingerprint.
        assertThat(ServerCertificate.generate().sha256()).isNotEqualTo(server.certificateSha256());
    }

    @Test
    void aClientPinningAnotherCertificateSendsNothingAndOpensNoSession() throws Exception {
        // Another process holds the endpoint: a TLS server with a key of its own, recording what it receives.
        var impostor = ServerCertificate.generate();
        var received = new java.util.concurrent.atomic.AtomicInteger(-1);
        try (var socket = (javax.net.ssl.SSLServerSocket) impostor.serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var accepting = Thread.ofVirtual().start(() -> {
                try (var connection = (javax.net.ssl.SSLSocket) socket.accept()) {
                    connection.setSoTimeout(10_000);
                    received.set(connection.getInputStream().readAllBytes().length);
                } catch (java.io.IOException e) {
                    received.set(0); // the client aborted the handshake: no application data came
                }
            });
            var endpoint = URI.create("https://127.0.0.1:" + socket.getLocalPort());

            // The client pins the registered server's certificate, not the impostor's.
            var opened = ScalezServers.at(endpoint, TOKEN, server.certificateSha256())
                    .open(repository.id(), "pinning test");

            assertThat(opened).isEmpty();
            accepting.join(Duration.ofSeconds(15));
            assertThat(received.get())
                    .as("bytes of request (and token) the impostor received")
                    .isZero();
        }
    }

    @Test
    void aBackupWhoseServerPresentsAnotherCertificateWritesByItself() throws Exception {
        var before = writer.stats();
        var credential = new KeyCredential.Passphrase("pw", new KdfParameters(1024, 1, 1));
        var wrongPin = ServerCertificate.generate().sha256();
        var through = Repository.open(
                store,
                credential,
                RepositoryOptions.defaults().withRemoteWriter(ScalezServers.at(server.endpoint(), TOKEN, wrongPin)));
        var data = new byte[300_000];
        new java.util.Random(5).nextBytes(data);

        var point = through.backupStream(
                new java.io.ByteArrayInputStream(data), io.cloudconnector.scalez.backup.BackupOptions.defaults());

        assertThat(point.bytesAdded()).as("written by the backup itself").isPositive();
        assertThat(writer.stats().blobsStored()).isEqualTo(before.blobsStored());
        assertThat(server.sessionCount()).as("only this test's own session").isEqualTo(1);
        var restored = new java.io.ByteArrayOutputStream();
        Repository.open(store, credential)
                .restoreStream(point.id(), restored, io.cloudconnector.scalez.model.ProgressListener.NONE);
        assertThat(restored.toByteArray()).isEqualTo(data);
    }

    @Test
    void aSessionWhoseEndpointChangesKeyStopsAtOnceAndHandsTheBackupBack() throws Exception {
        var remote = ScalezServers.at(server.endpoint(), TOKEN, server.certificateSha256())
                .open(repository.id(), "key change test")
                .orElseThrow();
        var id = ObjectId.sha256(new byte[] {3});
        assertThat(remote.missing(List.of(id))).containsExactly(id);
        var port = server.endpoint().getPort();
        send("DELETE", "/v1/sessions/" + session, new byte[0]);
        server.close();
        // Another server, with another key, now answers at the same address.
        server = ScalezServer.start(
                SharedWriter.open(repository, 1),
                ServerOptions.defaults(new InetSocketAddress("127.0.0.1", port), ServerTokens.sha256(TOKEN)),
                e -> {});
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(PinnedCertificate.sslContext(server.certificateSha256()))
                .build();

        // The unavailable path: the backup hands off and writes the rest by itself.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> remote.missing(List.of(id)))
                .isInstanceOf(io.cloudconnector.scalez.remote.RemoteWriterUnavailableException.class)
                .hasMessageContaining("no longer the registered ScaleZ server");
        assertThat(server.sessionCount()).isZero();
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
