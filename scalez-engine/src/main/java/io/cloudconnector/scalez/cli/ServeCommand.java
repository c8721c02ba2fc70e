package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.serve.ScalezServer;
import io.cloudconnector.scalez.serve.ScalezServers;
import io.cloudconnector.scalez.serve.ServerOptions;
import io.cloudconnector.scalez.serve.ServerTokens;
import io.cloudconnector.scalez.serve.SharedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scalez serve}: runs a ScaleZ server for one repository until SIGTERM, then drains (exit 0), or until its
 * writer fails (exit 1, so that whoever runs it starts a fresh one). It serves HTTPS with a key made at start; the
 * SHA-256 of its certificate, which clients pin, is printed, written into the ready file (second line) and, with
 * {@code --server-id} and a lock table, published in that table for the provisioner.
 */
@Command(
        name = "serve",
        description = "Serve a repository to concurrent backups (the ScaleZ server) until SIGTERM"
                + " or SIGINT, then drain and exit 0."
                + " Token: SCALEZ_SERVER_TOKEN_SHA256 (hex), SCALEZ_SERVER_TOKEN, or --token-file."
                + " HTTPS only, with a key made at start: clients pin its certificate's SHA-256.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Option(
            names = "--listen",
            defaultValue = "0.0.0.0:7070",
            description = "host:port to listen on; port 0 picks" + " a free one (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--ready-file",
            description = "Once serving, write the server's URL and, on a second line, its certificate's SHA-256"
                    + " into this file (atomically).")
    @Nullable
    Path readyFile;

    @Option(
            names = "--server-id",
            description = "This server's id (default: SCALEZ_SERVER_ID): with a lock table, its certificate's"
                    + " SHA-256 is published there (pk scalez-server-certificate, sk the id) for the provisioner.")
    @Nullable
    String serverId;

    @Option(names = "--token-file", description = "File whose first line is the token clients must present.")
    @Nullable
    Path tokenFile;

    @Option(
            names = "--session-timeout-seconds",
            defaultValue = "600",
            description = "Idle sessions end after this" + " (default: ${DEFAULT-VALUE}).")
    long sessionTimeoutSeconds;

    @Option(
            names = "--upload-slots",
            defaultValue = "2",
            description = "Packs uploading at once (default: ${DEFAULT-VALUE}).")
    int uploadSlots;

    @Option(
            names = "--max-inflight-mib",
            defaultValue = "64",
            description = "Request bytes held at once, in MiB" + " (default: ${DEFAULT-VALUE}).")
    int maxInFlightMib;

    @Override
    public Integer call() throws IOException {
        var options = ServerOptions.defaults(address(), tokenSha256())
                .withSessionTimeout(Duration.ofSeconds(sessionTimeoutSeconds))
                .withLimits(24 << 20, Math.max(24, maxInFlightMib) << 20, 64);
        try (var session = repo.open()) {
            var writer = SharedWriter.open(session.repository(), uploadSlots);
            var failure = new AtomicReference<Throwable>();
            var server = new AtomicReference<ScalezServer>();
            var started = ScalezServer.start(writer, options, e -> {
                failure.set(e);
                // Not on the request thread that saw the failure: stopping waits for request threads.
                Thread.ofVirtual()
                        .start(() ->
                                java.util.Objects.requireNonNull(server.get()).close());
            });
            server.set(started);
            try {
                publishCertificate(session, started.certificateSha256());
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            // SIGTERM (ECS stopping the task, a spot interruption) and SIGINT drain the server while the JVM keeps
            // running, so that the command ends normally (exit 0) with its logs; the shutdown hook covers any
            // other way the JVM goes down.
            Runnable drain =
                    () -> Thread.ofPlatform().name("scalez-serve-drain").start(() -> started.drain());
            handle("TERM", drain);
            handle("INT", drain);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started.drain(), "scalez-serve-shutdown"));
            // Printed before the ready file is written: whoever waits for that file finds the line too.
            System.out.println("scalez server for repository " + writer.repositoryId() + " listening on "
                    + started.endpoint() + ", certificate SHA-256 " + started.certificateSha256());
            System.out.flush();
            if (readyFile != null) {
                var temporary = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
                Files.writeString(
                        temporary,
                        started.endpoint() + "\n" + started.certificateSha256() + "\n",
                        StandardCharsets.UTF_8);
                Files.move(temporary, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            started.stopped().join();
            if (failure.get() != null) {
                System.err.println("scalez: the server's writer failed: " + failure.get());
                return 1;
            }
            writer.close();
            return 0;
        }
    }

    /**
     * With a server id and a lock table, puts the certificate's fingerprint where the provisioner reads it; a server
     * that cannot is never registered, so it stops (the provisioner starts another).
     */
    private void publishCertificate(RepositoryOptionsMixin.Session session, String sha256) {
        var id = serverId != null && !serverId.isBlank() ? serverId : System.getenv("SCALEZ_SERVER_ID");
        var table = repo.lockTable();
        var dynamo = session.lockClient();
        if (id == null || id.isBlank()) {
            return;
        }
        if (table == null || dynamo == null) {
            throw new ScalezException("--server-id needs --lock-table (the vault's table): the certificate's"
                    + " fingerprint is published there");
        }
        ScalezServers.publishCertificate(dynamo, table, id.strip(), sha256, java.time.Clock.systemUTC());
    }

    private static void handle(String signal, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), ignored -> action.run());
        } catch (IllegalArgumentException e) {
            // The JVM reserves the signal (-Xrs): the shutdown hook still drains.
        }
    }

    private InetSocketAddress address() {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new ScalezException("--listen must be host:port, was " + listen);
        }
        try {
            return new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ScalezException("--listen must be host:port, was " + listen);
        }
    }

    private byte[] tokenSha256() throws IOException {
        var hashed = System.getenv("SCALEZ_SERVER_TOKEN_SHA256");
        if (hashed != null && !hashed.isBlank()) {
            try {
                return HexFormat.of().parseHex(hashed.strip());
            } catch (IllegalArgumentException e) {
                throw new ScalezException("SCALEZ_SERVER_TOKEN_SHA256 is not hex");
            }
        }
        String token = null;
        if (tokenFile != null) {
            var lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
            token = lines.isEmpty() ? null : lines.getFirst().strip();
        } else if (System.getenv("SCALEZ_SERVER_TOKEN") != null) {
            token = System.getenv("SCALEZ_SERVER_TOKEN").strip();
        }
        if (token == null || token.isEmpty()) {
            throw new ScalezException("A server needs a token: SCALEZ_SERVER_TOKEN_SHA256, SCALEZ_SERVER_TOKEN or"
                    + " --token-file (it never serves without one)");
        }
        return ServerTokens.sha256(token);
    }
}
