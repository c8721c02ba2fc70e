package io.cloudconnector.integrity.scan.detect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ClamAV through a {@code clamd} this scan starts and stops: one database load per scan (the official
 * database takes a minute to load, far too long per file or batch), scans of staged directories with
 * {@code MULTISCAN} over its Unix socket. Its database directory holds the connector's own signatures and
 * links to the official {@code .cvd}/{@code .cld} files when they are installed.
 */
public final class ClamAv implements AutoCloseable {

    /** The signature files shipped with the connector (classpath {@code signatures/}). */
    static final List<String> OWN_SIGNATURES =
            List.of("cloudconnector.ndb", "cloudconnector.hdb", "cloudconnector.ldb");

    /** The database files linked in from the database directory (official and custom ClamAV databases). */
    private static final java.util.regex.Pattern DATABASE_FILE = java.util.regex.Pattern.compile(
            ".+\\.(cvd|cld|cud|ndb|ndu|hdb|hdu|hsb|hsu|ldb|ldu|mdb|mdu|msb|msu|cdb|idb|fp|sfp|ign2|ftm|pdb|wdb|crb|cat)");

    private final Process process;
    private final Path socket;
    private final Duration scanTimeout;
    private final List<String> databases;
    private final String version;

    private ClamAv(Process process, Path socket, Duration scanTimeout, List<String> databases, String version) {
        this.process = process;
        this.socket = socket;
        this.scanTimeout = scanTimeout;
        this.databases = databases;
        this.version = version;
    }

    /** A threat found: the staged file and the signature's name. */
    public record Hit(Path file, String signature) {}

    /**
     * Starts {@code clamd} in {@code workDir} with our signatures and the database files found in
     * {@code officialDatabase} (the scan's {@code SignatureSet}; none is fine, the report's verdict says what that
     * means).
     */
    public static ClamAv start(
            String clamd, Path workDir, Path officialDatabase, Duration startTimeout, Duration scanTimeout) {
        try {
            var db = Files.createDirectories(workDir.resolve("clamav-db"));
            var tmp = Files.createDirectories(workDir.resolve("clamav-tmp"));
            List<String> databases = new ArrayList<>();
            for (var name : OWN_SIGNATURES) {
                try (InputStream in = ClamAv.class.getResourceAsStream("/signatures/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("Signature file " + name + " is missing from the jar");
                    }
                    Files.write(db.resolve(name), in.readAllBytes());
                }
                databases.add(name);
            }
            if (Files.isDirectory(officialDatabase)) {
                try (var files = Files.list(officialDatabase)) {
                    for (var file : files.sorted().toList()) {
                        var name = file.getFileName().toString();
                        if (DATABASE_FILE.matcher(name).matches() && !OWN_SIGNATURES.contains(name)) {
                            Files.createSymbolicLink(db.resolve(name), file.toAbsolutePath());
                            databases.add(name);
                        }
                    }
                }
            }
            var socket = workDir.resolve("clamd.sock");
            var config = workDir.resolve("clamd.conf");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "Foreground yes",
                            "LocalSocket " + socket,
                            "DatabaseDirectory " + db,
                            "TemporaryDirectory " + tmp,
                            "LogFile " + workDir.resolve("clamd.log"),
                            "MaxThreads 4",
                            "MaxQueue 200",
                            "MaxFileSize 200M",
                            "MaxScanSize 400M",
                            "ReadTimeout " + Math.max(30, scanTimeout.toSeconds()),
                            "CommandReadTimeout 30",
                            "SelfCheck 0",
                            "ExitOnOOM yes",
                            ""));
            var process = new ProcessBuilder(clamd, "--config-file=" + config)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("clamd.out").toFile())
                    .start();
            var clamAv = new ClamAv(process, socket, scanTimeout, List.copyOf(databases), versionOf(clamd));
            clamAv.awaitReady(startTimeout, workDir);
            return clamAv;
        } catch (IOException e) {
            throw new ScanEngineException("Cannot start clamd (" + clamd + "): " + e.getMessage(), e);
        }
    }

    private static String versionOf(String clamd) {
        try {
            return Processes.run(List.of(clamd, "--version"), null, Duration.ofSeconds(30))
                    .out()
                    .strip();
        } catch (Processes.ProcessException e) {
            return "unknown";
        }
    }

    private void awaitReady(Duration timeout, Path workDir) {
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new ScanEngineException(
                        "clamd exited with " + process.exitValue() + " while loading its " + "database: "
                                + tail(workDir.resolve("clamd.out")),
                        null);
            }
            if (Files.exists(socket)) {
                try {
                    if (command("zPING", Duration.ofSeconds(5)).startsWith("PONG")) {
                        return;
                    }
                } catch (ScanEngineException e) {
                    // still starting
                }
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ScanEngineException("Interrupted while clamd loaded its database", e);
            }
        }
        close();
        throw new ScanEngineException("clamd did not answer within " + timeout, null);
    }

    private static String tail(Path file) {
        try {
            var text = Files.readString(file);
            return text.substring(Math.max(0, text.length() - 500)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The signature files loaded, ours first. */
    public List<String> databases() {
        return databases;
    }

    /** Whether the official ClamAV database is loaded. */
    public boolean officialDatabase() {
        return databases.size() > OWN_SIGNATURES.size();
    }

    /** What {@code clamd --version} says. */
    public String version() {
        return version;
    }

    /** Scans every file under {@code directory}; errors clamd reports per file are returned as hits of {@code ERROR: …}. */
    public List<Hit> scan(Path directory) {
        var reply = command("zMULTISCAN " + directory.toAbsolutePath(), scanTimeout);
        List<Hit> hits = new ArrayList<>();
        for (var line : reply.split("\0")) {
            line = line.strip();
            int colon = line.lastIndexOf(": ");
            if (colon < 0) {
                continue;
            }
            var file = Path.of(line.substring(0, colon));
            var verdict = line.substring(colon + 2);
            if (verdict.endsWith(" FOUND")) {
                hits.add(new Hit(file, verdict.substring(0, verdict.length() - " FOUND".length())));
            } else if (verdict.endsWith(" ERROR")) {
                hits.add(new Hit(file, "ERROR: " + verdict.substring(0, verdict.length() - " ERROR".length())));
            }
        }
        return hits;
    }

    private String command(String command, Duration timeout) {
        var reply = CompletableFuture.supplyAsync(
                () -> exchange(command), r -> Thread.ofVirtual().start(r));
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw new ScanEngineException("clamd did not answer '" + command + "' within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanEngineException("Interrupted while waiting for clamd", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ScanEngineException(
                    "clamd failed on '" + command + "': "
                            + java.util.Objects.requireNonNull(e.getCause()).getMessage(),
                    e.getCause());
        }
    }

    private String exchange(String command) {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\0").getBytes(StandardCharsets.UTF_8)));
            var out = new ByteArrayOutputStream();
            var buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    Processes.kill(process);
                }
            } catch (InterruptedException e) {
                Processes.kill(process);
                Thread.currentThread().interrupt();
            }
        }
    }
}
