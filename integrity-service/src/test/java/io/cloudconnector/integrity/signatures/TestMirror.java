package io.cloudconnector.integrity.signatures;

import com.sun.net.httpserver.HttpServer;
import io.cloudconnector.common.testing.RequiredTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A private ClamAV mirror for tests: an HTTP server on the loopback serving the files of a directory, recording each
 * path asked for; and databases for it built by ClamAV's {@code sigtool} from signature files (unsigned: the
 * digital signature of a real {@code .cvd} is ClamAV's, which no test can make).
 */
public final class TestMirror implements AutoCloseable {

    private final HttpServer server;
    private final Path root;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public TestMirror(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            var path = exchange.getRequestURI().getPath();
            requests.add(path);
            var file = root.resolve(path.substring(1)).normalize();
            try (exchange) {
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                var bytes = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    /** The paths asked for, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Builds {@code <name>.<extension>} ({@code cud}: an unsigned database as a custom URL serves it; {@code cvd}:
     * one claiming to be a standard database, with no valid digital signature) from {@code name.ndb} holding
     * {@code ndb}, as version {@code version}, into the mirror's directory.
     */
    public Path database(String name, String extension, long version, String ndb) {
        try {
            var work = Files.createTempDirectory(root.getParent(), "sigtool-");
            Files.writeString(work.resolve("COPYING"), "Test signatures of the Cloud Connector, not ClamAV's.\n");
            Files.writeString(work.resolve(name + ".ndb"), ndb);
            var process = new ProcessBuilder(
                            RequiredTools.path("sigtool"),
                            "--datadir=" + Files.createDirectories(work.resolve("empty")),
                            "--build=" + name + "." + extension,
                            "--unsigned",
                            "--cvd-version=" + version,
                            "--no-cdiff")
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .start();
            try (var in = process.getOutputStream()) {
                in.write("cloudconnector-tests\n".getBytes(StandardCharsets.US_ASCII));
            }
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("sigtool failed: " + output);
            }
            var built = work.resolve(name + "." + extension);
            return Files.move(
                    built, root.resolve(built.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
