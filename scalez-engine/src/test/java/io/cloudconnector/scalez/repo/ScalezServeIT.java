package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.remote.SealedBlob;
import io.cloudconnector.scalez.serve.PinnedCertificate;
import io.cloudconnector.scalez.serve.ScalezServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code scalez serve} process (the packaged CLI jar in its own JVM) serving a filesystem repository to
 * backups that run as their own processes too: dedup across concurrent backups, the fallback to the embedded
 * writer, token checks, and the drain on SIGTERM.
 */
class ScalezServeIT {

    private static final int BLOCK = 512 * 1024;
    private static final String PASSPHRASE = "serve test";
    private static final String TOKEN = "s3cr3t-token-for-the-test-server";
    private static final Pattern POINT = Pattern.compile("\"recoveryPointId\":\"(rp-[0-9A-Z]{26})\"");

    @TempDir
    Path dir;

    private Repository repo;
    private final List<Process> started = new ArrayList<>();
    /** The certificate SHA-256 each server wrote into its ready file: what clients pin. */
    private final Map<URI, String> pins = new HashMap<>();

    @BeforeEach
    void initRepository() {
        // Small packs, so that the backups below fill several and the tests see more than one upload.
        repo = Repository.init(
                new FileSystemBlobStore(dir.resolve("repo")),
                new KeyCredential.Passphrase(PASSPHRASE, new KdfParameters(1024, 1, 1)),
                RepositorySettings.defaults().withPackSize(1024 * 1024),
                RepositoryOptions.defaults());
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (var process : started) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void twoConcurrentBackupsThroughOneServerStoreEachSharedChunkOnce() throws Exception {
        var random = new Random(7);
        var shared = blocks(random, 24);
        var onlyA = blocks(random, 8);
        var onlyB = blocks(random, 8);
        var a = image("a.img", concat(shared, onlyA));
        var b = image("b.img", concat(onlyB, shared));
        var server = serve(TOKEN);

        var first = backup(a, server, TOKEN);
        var second = backup(b, server, TOKEN);
        var pointA = finish(first);
        var pointB = finish(second);

        // Every pack in the repository, indexed or not: no chunk id twice, and exactly the distinct data blocks.
        var ids = new HashMap<ObjectId, Integer>();
        int dataEntries = 0;
        for (var info : repo.store().list("packs/")) {
            for (var entry : PackFiles.readHeader(repo.context(), info.key(), info.size())) {
                ids.merge(entry.id(), 1, Integer::sum);
                dataEntries += entry.type() == BlobType.DATA ? 1 : 0;
            }
        }
        // A duplicate means one backup handed off to its own writer (what its log says) or the server stored twice.
        var logs = "backup logs:\n" + Files.readString(dir.resolve("a.img.err"))
                + Files.readString(dir.resolve("b.img.err"));
        assertThat(ids)
                .allSatisfy((id, count) -> assertThat(count)
                        .as("copies of %s; %s", id.shortHex(), logs)
                        .isEqualTo(1));
        assertThat(dataEntries).isEqualTo(24 + 8 + 8);
        var status = status(server);
        System.out.printf("serve test: server status after two concurrent backups: %s%n", status);
        assertThat(status).contains("\"blobsStored\":" + (dataEntries + 2)); // + one block-map page each
        assertThat(restored(pointA)).isEqualTo(ObjectId.sha256(Files.readAllBytes(a)));
        assertThat(restored(pointB)).isEqualTo(ObjectId.sha256(Files.readAllBytes(b)));
        assertThat(repo.check().isClean()).isTrue();
        assertThat(repo.check().warnings()).as("packs in no index").isEmpty();
    }

    @Test
    void withoutAServerABackupWritesByItselfAndMakesTheSameRecoveryPoint() throws Exception {
        var image = image("c.img", concat(blocks(new Random(11), 12), new byte[4 * BLOCK]));
        var nobody = URI.create("https://127.0.0.1:" + freePort());

        var alone = finish(backup(image, nobody, TOKEN));
        var server = serve(TOKEN);
        var through = finish(backup(image, server, TOKEN));

        var embedded = manifest(alone);
        var served = manifest(through);
        assertThat(served.roots()).isEqualTo(embedded.roots());
        assertThat(served.summary().logicalSize()).isEqualTo(embedded.summary().logicalSize());
        assertThat(served.summary().bytesAdded())
                .as("everything was stored by the embedded backup")
                .isZero();
        assertThat(embedded.summary().bytesAdded()).isPositive();
        assertThat(restored(through)).isEqualTo(restored(alone)).isEqualTo(ObjectId.sha256(Files.readAllBytes(image)));
    }

    @Test
    void aWrongTokenIsRefusedAndTheBackupWritesByItself() throws Exception {
        var server = serve(TOKEN);
        var sessions = server.resolve("/v1/sessions?repository=" + repo.id());

        var none = http(server)
                .send(
                        HttpRequest.newBuilder(sessions)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        var wrong = http(server)
                .send(
                        HttpRequest.newBuilder(sessions)
                                .header("Authorization", "Bearer not-" + TOKEN)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(wrong.body()).contains("\"status\":401");
        assertThat(http(server)
                        .send(
                                HttpRequest.newBuilder(server.resolve("/v1/status"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);

        var image = image("d.img", concat(blocks(new Random(13), 4), new byte[0]));
        var point = finish(backup(image, server, "not-" + TOKEN));

        assertThat(status(server)).contains("\"blobsStored\":0").contains("\"sessions\":0");
        assertThat(restored(point)).isEqualTo(ObjectId.sha256(Files.readAllBytes(image)));
        var right = http(server)
                .send(
                        HttpRequest.newBuilder(sessions)
                                .header("Authorization", "Bearer " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(201);
    }

    @Test
    void aBackupGivenAnotherCertificateSendsNothingAndWritesByItself() throws Exception {
        var server = serve(TOKEN);
        var image = image("e.img", concat(blocks(new Random(19), 6), new byte[2 * BLOCK]));

        // The fingerprint of another key: what a backup would hold if the endpoint had been taken over.
        var point = finish(backup(
                image,
                server,
                TOKEN,
                io.cloudconnector.scalez.serve.ServerCertificate.generate().sha256()));

        assertThat(Files.readString(dir.resolve("e.img.err"))).contains("is not the registered ScaleZ server");
        assertThat(status(server))
                .as("the handshake failed before the request: no session, nothing stored")
                .contains("\"blobsStored\":0")
                .contains("\"sessions\":0");
        assertThat(manifest(point).summary().bytesAdded()).isPositive();
        assertThat(restored(point)).isEqualTo(ObjectId.sha256(Files.readAllBytes(image)));
    }

    @Test
    void sigtermDrainsAndIndexesWhatTheServerHeld() throws Exception {
        var server = serve(TOKEN);
        var process = started.getLast();
        var ctx = repo.context();
        var random = new Random(17);
        var blobs = new ArrayList<SealedBlob>();
        for (int i = 0; i < 3; i++) {
            var data = new byte[100 * 1024];
            random.nextBytes(data);
            var id = ctx.hasher().hash(data, 0, data.length);
            var compressed = ctx.compressor().compress(data);
            blobs.add(new SealedBlob(
                    id,
                    BlobType.DATA.code(),
                    compressed.codec().code(),
                    data.length,
                    ctx.blobAead(id)
                            .seal(
                                    compressed.data(),
                                    PackEntry.aad(id, BlobType.DATA, compressed.codec(), data.length))));
        }
        var ids = blobs.stream().map(SealedBlob::id).toList();
        var session = ScalezServers.at(server, TOKEN, pin(server))
                .open(repo.id(), "drain test")
                .orElseThrow();
        assertThat(session.missing(ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(session.store(blobs)).isPositive();
        assertThat(session.missing(ids)).as("held by the server now").isEmpty();
        // 300 KiB is far from a full pack: the server holds them in memory, in no pack file and no index yet.
        assertThat(IndexSet.load(ctx).index().contains(ids.getFirst())).isFalse();

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue())
                .as(Files.readString(dir.resolve("serve.err")))
                .isZero();
        var index = IndexSet.load(ctx).index();
        assertThat(ids)
                .allSatisfy(
                        id -> assertThat(index.contains(id)).as(id.shortHex()).isTrue());
        assertThat(repo.check().isClean()).isTrue();
        assertThat(repo.check().warnings()).as("packs in no index").isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** Starts {@code scalez serve} on a free port; returns its URL once it serves. */
    private URI serve(String token) throws IOException {
        var ready = dir.resolve("ready");
        Files.deleteIfExists(ready);
        var builder = cli(
                "serve",
                "--repo",
                "repo",
                "--listen",
                "127.0.0.1:0",
                "--ready-file",
                ready.toString(),
                "--session-timeout-seconds",
                "120");
        builder.environment().put("SCALEZ_SERVER_TOKEN", token);
        var process = builder.redirectOutput(dir.resolve("serve.out").toFile())
                .redirectError(dir.resolve("serve.err").toFile())
                .start();
        started.add(process);
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(ready) || !process.isAlive());
        assertThat(process.isAlive())
                .as("scalez serve: %s", Files.readString(dir.resolve("serve.err")))
                .isTrue();
        var lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
        var endpoint = URI.create(lines.getFirst().strip());
        assertThat(endpoint.getScheme()).isEqualTo("https");
        pins.put(endpoint, lines.get(1).strip());
        assertThat(Files.readString(dir.resolve("serve.out"))).contains("certificate SHA-256 " + pin(endpoint));
        return endpoint;
    }

    /** A backup process and the name of the image it reads. */
    private record Running(Process process, String name) {}

    private Running backup(Path image, URI server, String token) throws IOException {
        return backup(image, server, token, pin(server));
    }

    private Running backup(Path image, URI server, String token, String certificate) throws IOException {
        var name = image.getFileName().toString();
        var builder = cli("backup", "--repo", "repo", "--json", "--block", name, "--server", server.toString());
        builder.environment().put("SCALEZ_SERVER_CERT_SHA256", certificate);
        builder.environment().put("SCALEZ_SERVER_TOKEN", token);
        var process = builder.redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        started.add(process);
        return new Running(process, name);
    }

    private String finish(Running backup) throws Exception {
        assertThat(backup.process().waitFor(5, TimeUnit.MINUTES)).isTrue();
        var out = Files.readString(dir.resolve(backup.name() + ".out"));
        assertThat(backup.process().exitValue())
                .as(Files.readString(dir.resolve(backup.name() + ".err")))
                .isZero();
        var matcher = POINT.matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return matcher.group(1);
    }

    private ProcessBuilder cli(String... args) {
        var jar = Path.of(System.getProperty("scalez.cli.jar", "target/scalez.jar"))
                .toAbsolutePath();
        assertThat(jar).as("run mvn package first").isRegularFile();
        var java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(
                List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("SCALEZ_PASSWORD", PASSPHRASE);
        builder.environment().remove("SCALEZ_SERVER_TOKEN");
        return builder;
    }

    /** The pinned certificate of a server started here; for any other endpoint one that nothing presents. */
    private String pin(URI server) {
        return pins.getOrDefault(server, "00".repeat(32));
    }

    /** A client that trusts exactly the server's certificate, as the ScaleZ client does. */
    private HttpClient http(URI server) {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(PinnedCertificate.sslContext(pin(server)))
                .build();
    }

    private String status(URI server) throws IOException, InterruptedException {
        var response = http(server)
                .send(
                        HttpRequest.newBuilder(server.resolve("/v1/status"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private Manifest manifest(String id) {
        return Manifest.open(
                id, repo.store().get(Manifest.key(id)), repo.context().aead());
    }

    private ObjectId restored(String id) {
        var out = new ByteArrayOutputStream();
        repo.restoreStream(id, out, ProgressListener.NONE);
        return ObjectId.sha256(out.toByteArray());
    }

    private Path image(String name, byte[] content) throws IOException {
        var path = dir.resolve(name);
        try (var file = new RandomAccessFile(path.toFile(), "rw")) {
            file.write(content);
        }
        return path;
    }

    private static byte[][] blocks(Random random, int count) {
        var blocks = new byte[count][BLOCK];
        for (var block : blocks) {
            random.nextBytes(block);
        }
        return blocks;
    }

    private static byte[] concat(byte[][] first, byte[][] second) {
        var out = new ByteArrayOutputStream();
        for (var block : first) {
            out.writeBytes(block);
        }
        for (var block : second) {
            out.writeBytes(block);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[][] first, byte[] tail) {
        var out = new ByteArrayOutputStream();
        for (var block : first) {
            out.writeBytes(block);
        }
        out.writeBytes(tail);
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
