package io.cloudconnector.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AWS emulator for tests: the one named by {@code AWS_ENDPOINT_URL}, or a {@code moto_server}
 * started once per JVM on a free loopback port and stopped when the JVM exits.
 *
 * <p>Plain Java on purpose (no Spring, no AWS SDK) so that every module, the engine included, can
 * use it from the {@code common} test-jar.
 */
public final class MotoServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String CONFIG = "{\"batch\":{\"use_docker\":false},\"lambda\":{\"use_docker\":false}}";

    private static volatile MotoServer shared;

    private final URI endpoint;
    private final Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The emulator of this JVM, started on first use. */
    public static MotoServer shared() {
        var server = shared;
        if (server == null) {
            synchronized (MotoServer.class) {
                server = shared;
                if (server == null) {
                    server = start();
                    shared = server;
                }
            }
        }
        return server;
    }

    /** The emulator's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Whether this JVM started the emulator (false when it reuses {@code AWS_ENDPOINT_URL}). */
    public boolean startedHere() {
        return process != null;
    }

    /** Drops every resource in every emulated service; the emulator's configuration survives. */
    public void reset() {
        post("/moto-api/reset", "");
    }

    private static MotoServer start() {
        var given = System.getenv("AWS_ENDPOINT_URL");
        if (given != null && !given.isBlank()) {
            var server = new MotoServer(URI.create(given.strip()), null);
            server.awaitUp(Instant.now().plus(STARTUP_TIMEOUT));
            server.configure();
            return server;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch();
            } catch (IOException e) {
                last = e; // most likely the free port was taken between probing and binding
            }
        }
        throw new UncheckedIOException("Cannot start moto_server", last);
    }

    private static MotoServer launch() throws IOException {
        int port = freePort();
        var executable = motoExecutable();
        var log = Path.of("target", "moto-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        // Each S3 object above the key buffer keeps a temporary file open, so raise the open-file limit.
        var command = List.of(
                "bash",
                "-c",
                "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$0\" -H 127.0.0.1 -p \"$1\"",
                executable,
                Integer.toString(port));
        var builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MOTO_S3_DEFAULT_KEY_BUFFER_SIZE", "1048576");
        // The repository's scripts/emulator/sitecustomize.py caches what moto's EventBridge recompiles for every
        // event (1-3 s a PutEvents without it); found from the module directory the tests run in.
        emulatorCustomization().ifPresent(dir -> {
            var existing = builder.environment().get("PYTHONPATH");
            builder.environment()
                    .put(
                            "PYTHONPATH",
                            existing == null || existing.isBlank()
                                    ? dir.toString()
                                    : dir + java.io.File.pathSeparator + existing);
        });
        var process = builder.start();
        var server = new MotoServer(URI.create("http://127.0.0.1:" + port), process);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "moto-server-stop"));
        try {
            server.awaitUp(Instant.now().plus(STARTUP_TIMEOUT));
        } catch (RuntimeException e) {
            server.stop();
            throw new IOException("moto_server did not come up on port " + port + " (log: " + log + ")", e);
        }
        server.configure();
        return server;
    }

    private void configure() {
        post("/moto-api/config", CONFIG);
    }

    private void awaitUp(Instant deadline) {
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue());
            }
            try {
                var response = http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for moto_server", e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("moto_server at " + endpoint + " not up after " + STARTUP_TIMEOUT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for moto_server", e);
            }
        }
    }

    private void post(String path, String json) {
        try {
            var response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve(path))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "POST " + path + " to the emulator answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach the emulator at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the emulator", e);
        }
    }

    private void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The repository's {@code scripts/emulator} directory, looked for from the working directory upwards. */
    static Optional<Path> emulatorCustomization() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve("scripts/emulator");
            if (Files.isRegularFile(candidate.resolve("sitecustomize.py"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String motoExecutable() {
        var configured = Optional.ofNullable(System.getenv("MOTO_SERVER")).filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return configured.get();
        }
        var path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (var dir : path.split(java.io.File.pathSeparator)) {
            var candidate = Path.of(dir, "moto_server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        var pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server");
        if (Files.isExecutable(pyenv)) {
            return pyenv.toString();
        }
        throw new IllegalStateException("moto_server is not installed: install it with "
                + "pip install 'moto[server]>=5.2.1', or set AWS_ENDPOINT_URL to a running emulator");
    }
}
