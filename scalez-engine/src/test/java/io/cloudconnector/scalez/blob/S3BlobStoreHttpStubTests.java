package io.cloudconnector.scalez.blob;

import static io.cloudconnector.scalez.blob.BlobStoreContractTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudconnector.scalez.blob.RetryingBlobStore.RetryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3BlobStore} against a local HTTP stub that answers with scripted S3 responses: the throttling, server
 * errors and odd servers the emulator cannot produce.
 */
class S3BlobStoreHttpStubTests {

    private static final String LOCATION = "s3://stub-bucket/repo/";

    private final ConcurrentLinkedQueue<StubResponse> responses = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private S3Client s3;
    private S3BlobStore store;

    private record StubResponse(int status, Map<String, String> headers, byte[] body) {}

    private record Request(String method, String path, Map<String, List<String>> headers) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse("");
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        s3 = TestS3Clients.forEndpoint(endpoint());
        store = new S3BlobStore(s3, "stub-bucket", "repo");
    }

    @AfterEach
    void stop() {
        s3.close();
        server.stop(0);
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
        "503, SlowDown,            TransientBlobStoreException",
        "500, InternalError,       TransientBlobStoreException",
        "502, BadGateway,          TransientBlobStoreException",
        "429, TooManyRequests,     TransientBlobStoreException",
        "400, ThrottlingException, TransientBlobStoreException",
        "400, RequestTimeout,      TransientBlobStoreException",
        "409, OperationAborted,    TransientBlobStoreException",
        "403, AccessDenied,        BlobStoreException",
        "400, InvalidArgument,     BlobStoreException",
        "404, NoSuchBucket,        BlobStoreException",
        "404, NoSuchKey,           BlobNotFoundException",
    })
    void readFailuresFromAStubAreSortedByWhetherTryingAgainCanHelp(int status, String code, String expected) {
        respondWithError(status, code);

        assertThatThrownBy(() -> store.get("packs/ab/cd"))
                .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo(expected))
                .hasMessageContaining("packs/ab/cd");
        assertThat(requests).as("the SDK itself must not retry").hasSize(1);
    }

    @Test
    void failuresFromAStubNameTheBlobAndTheStore() {
        respondWithError(503, "SlowDown");

        assertThatThrownBy(() -> store.get("packs/ab/cd"))
                .hasMessageStartingWith("Cannot read blob packs/ab/cd from " + LOCATION + ": ")
                .hasMessageContaining("SlowDown");
    }

    @Test
    void createOnlyWritesToAStubSendIfNoneMatchAndTreat412AsAlreadyThere() {
        respondWithError(412, "PreconditionFailed");
        respond(200, Map.of(), new byte[0]);

        assertThat(store.putIfAbsent("locks/l-1", bytes("owner a"))).isFalse();
        assertThat(store.putIfAbsent("locks/l-1", bytes("owner a"))).isTrue();

        assertThat(requests).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("PUT");
            assertThat(request.path()).isEqualTo("/stub-bucket/repo/locks/l-1");
            assertThat(request.header("If-None-Match")).isEqualTo("*");
        });
    }

    @Test
    void aConditionalWriteConflictFromAStubIsWorthTryingAgain() {
        respondWithError(409, "ConditionalRequestConflict");

        assertThatThrownBy(() -> store.putIfAbsent("locks/l-1", bytes("owner a")))
                .isInstanceOf(TransientBlobStoreException.class)
                .hasMessageStartingWith("Cannot write blob locks/l-1 to " + LOCATION);
    }

    @Test
    void aRetryingStoreGetsThroughThrottlingAndServerErrorsFromAStub() {
        respondWithError(503, "SlowDown");
        respondWithError(500, "InternalError");
        respond(200, Map.of(), bytes("pack"));
        var time = new FakeTime();
        var retrying = new RetryingBlobStore(store, RetryPolicy.defaults(), time, time, new SplittableRandom(1));

        assertThat(retrying.get("packs/ab/cd")).isEqualTo(bytes("pack"));

        assertThat(requests).hasSize(3);
        assertThat(time.sleeps()).hasSize(2);
    }

    @Test
    void aRetryingStoreGivesUpAtOnceOnAccessDeniedFromAStub() {
        respondWithError(403, "AccessDenied");
        respond(200, Map.of(), bytes("never asked for"));
        var time = new FakeTime();
        var retrying = new RetryingBlobStore(store, RetryPolicy.defaults(), time, time, new SplittableRandom(1));

        assertThatThrownBy(() -> retrying.get("packs/ab/cd")).isExactlyInstanceOf(BlobStoreException.class);

        assertThat(requests).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aRefusedConnectionIsWorthTryingAgain() throws IOException {
        URI closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (var client = TestS3Clients.forEndpoint(closedPort)) {
            var unreachable = new S3BlobStore(client, "stub-bucket", "repo");

            assertThatThrownBy(() -> unreachable.stat("config"))
                    .isInstanceOf(TransientBlobStoreException.class)
                    .hasMessageStartingWith("Cannot stat blob config in " + LOCATION);
        }
    }

    @Test
    void getRangeSendsARangeHeaderAndCopesWithAStubThatIgnoresIt() {
        var whole = bytes("0123456789abcdefghij");
        respond(206, Map.of("Content-Range", "bytes 10-14/20"), bytes("abcde"));
        respond(200, Map.of(), whole);

        assertThat(store.getRange("packs/ab/cd", 10, 5)).isEqualTo(bytes("abcde"));
        assertThat(store.getRange("packs/ab/cd", 10, 5)).isEqualTo(bytes("abcde"));

        assertThat(requests).extracting(request -> request.header("Range")).containsOnly("bytes=10-14");
    }

    @Test
    void aRangeFromAStubStartingPastTheEndIsEmpty() {
        respondWithError(416, "InvalidRange");

        assertThat(store.getRange("packs/ab/cd", 100, 5)).isEmpty();
    }

    @Test
    void statOfAnObjectTheStubDoesNotHaveIsEmpty() {
        respond(404, Map.of(), new byte[0]);

        assertThat(store.stat("packs/ab/cd")).isEmpty();
        assertThat(requests.getFirst().method()).isEqualTo("HEAD");
    }

    @Test
    void theClientOpenBuildsUsesPathStyleAndNeverRetriesOnItsOwn() {
        respondWithError(503, "SlowDown");
        var settings = new S3ClientSettings(Region.EU_WEST_1, Optional.of(endpoint()));
        // The built client takes credentials from the default chain, which reads these properties first.
        var previousKeyId = System.getProperty("aws.accessKeyId");
        var previousSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "stub");
        System.setProperty("aws.secretAccessKey", "stub");
        try (var opened =
                S3BlobStore.open(URI.create("s3://stub-bucket/repo"), S3BlobStore.Options.defaults(), settings)) {
            assertThatThrownBy(() -> opened.get("config")).isInstanceOf(TransientBlobStoreException.class);
        } finally {
            restoreProperty("aws.accessKeyId", previousKeyId);
            restoreProperty("aws.secretAccessKey", previousSecret);
        }

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/stub-bucket/repo/config");
            assertThat(request.header("Authorization")).contains("/eu-west-1/s3/");
        });
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void respond(int status, Map<String, String> headers, byte[] body) {
        responses.add(new StubResponse(status, headers, body));
    }

    private void respondWithError(int status, String code) {
        respond(status, Map.of("Content-Type", "application/xml"), bytes("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>%s</Code><Message>Scripted by the stub</Message><RequestId>stub-1</RequestId></Error>
                """.formatted(code)));
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders())));
            var response = responses.poll();
            if (response == null) {
                response = new StubResponse(500, Map.of(), bytes("no scripted response left"));
            }
            response.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean noBody =
                    response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            if (!noBody) {
                exchange.getResponseBody().write(response.body());
            }
        }
    }

    private static void restoreProperty(String name, @Nullable String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
