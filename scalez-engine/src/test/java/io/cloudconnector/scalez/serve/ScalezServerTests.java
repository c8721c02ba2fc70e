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

    // HTTP/1.1 as the real client (ScalezServerClient): the JDK server does not speak h2c.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
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
        var remote = ScalezServers.at(server.endpoint(), TOKEN)
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

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
