package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode: each ScaleZ server is a {@code scalez serve} process on this machine, on the vault's bucket and
 * key in the same AWS (the emulator) as the service, listening on a free port it writes into its ready file (its
 * {@code https://} URL; the certificate's fingerprint it publishes in the vault's table as on ECS and EC2).
 * The processes are this replica's children; when the service stops, it stops them (SIGTERM: they drain).
 */
final class LocalServerLauncher implements ServerLauncher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalServerLauncher.class);

    private final ProvisionerProperties properties;
    private final AwsProperties aws;
    private final AwsClientFactory clients;
    private final Path workDir;
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    LocalServerLauncher(ProvisionerProperties properties, AwsProperties aws, AwsClientFactory clients) {
        this.properties = properties;
        this.aws = aws;
        this.clients = clients;
        try {
            this.workDir = properties.local().workDir() != null
                    ? Files.createDirectories(properties.local().workDir())
                    : Files.createTempDirectory("scalez-servers");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the local servers' directory: " + e.getMessage(), e);
        }
    }

    @Override
    public Launched launch(Vault vault, VaultCompute compute, String serverId, String tokenSha256) {
        var dir = workDir.resolve(serverId);
        var command = new ArrayList<>(properties.local().command());
        // The same arguments as in the worker image, after its leading "scalez".
        var serve =
                ServerLauncher.serveCommand(vault, compute, properties.local().listenHost() + ":0");
        command.addAll(serve.subList(1, serve.size()));
        command.addAll(java.util.List.of("--ready-file", dir.resolve("ready").toString()));
        try {
            Files.createDirectories(dir);
            var builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile());
            var env = builder.environment();
            env.put("SCALEZ_SERVER_TOKEN_SHA256", tokenSha256);
            env.put("SCALEZ_SERVER_ID", serverId);
            env.remove("SCALEZ_SERVER_TOKEN");
            env.put("AWS_REGION", aws.region());
            clients.endpoint().ifPresent(endpoint -> env.put("AWS_ENDPOINT_URL", endpoint.toString()));
            var accessKey = aws.accessKeyId() != null ? aws.accessKeyId() : System.getProperty("aws.accessKeyId");
            var secretKey =
                    aws.secretAccessKey() != null ? aws.secretAccessKey() : System.getProperty("aws.secretAccessKey");
            if (accessKey != null && secretKey != null) {
                env.put("AWS_ACCESS_KEY_ID", accessKey);
                env.put("AWS_SECRET_ACCESS_KEY", secretKey);
            }
            var process = builder.start();
            children.put(serverId, process);
            log.info(
                    "Started local ScaleZ server {} of vault {} (pid {}): {}",
                    serverId,
                    vault.id(),
                    process.pid(),
                    command);
            return new Launched("local:" + process.pid(), CapacityType.LOCAL);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Observed observe(VaultCompute compute, ServerRecord server) {
        var process = process(server);
        if (process == null || !process.isAlive()) {
            return new Observed(Status.STOPPED, null);
        }
        var ready = workDir.resolve(server.id()).resolve("ready");
        if (!Files.exists(ready)) {
            return new Observed(Status.STARTING, null);
        }
        try {
            // The URL, then the certificate's SHA-256, which the server also publishes in the vault's table.
            var lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
            return lines.isEmpty() || lines.getFirst().isBlank()
                    ? new Observed(Status.STARTING, null)
                    : new Observed(Status.RUNNING, lines.getFirst().strip());
        } catch (IOException e) {
            return new Observed(Status.STARTING, null);
        }
    }

    @Override
    public void stop(VaultCompute compute, ServerRecord server, String reason) {
        var process = process(server);
        if (process != null && process.isAlive()) {
            log.info("Stopping local ScaleZ server {} (pid {}): {}", server.id(), process.pid(), reason);
            process.destroy();
        }
    }

    /**
     * The server's process if this replica started it. One started by an earlier run of the service is not
     * signalled (its pid may belong to anything by now) and counts as stopped: the service stops its children
     * when it stops.
     */
    private @Nullable ProcessHandle process(ServerRecord server) {
        var child = children.get(server.id());
        return child == null ? null : child.toHandle();
    }

    /** Stops every server this replica started (they drain), waiting a bounded time for each. */
    @Override
    public void close() {
        children.values().forEach(Process::destroy);
        for (var process : children.values()) {
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
