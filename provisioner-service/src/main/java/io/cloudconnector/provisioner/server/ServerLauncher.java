package io.cloudconnector.provisioner.server;

import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Starts, watches and stops ScaleZ servers on some compute: ECS tasks, EC2 instances, or local processes. */
interface ServerLauncher {

    /** What a launch started: the compute id (ECS task ARN, {@code local:<pid>}) and the capacity it got. */
    record Launched(String computeId, CapacityType capacityType) {}

    /** What the compute says of a server now. */
    record Observed(Status status, @Nullable String endpoint) {}

    /** A server's compute state. */
    enum Status {
        STARTING,
        RUNNING,
        STOPPED
    }

    /**
     * Starts {@code serverId} for the vault; the server accepts the token whose SHA-256 (hex) is {@code tokenSha256}.
     * Throws when no capacity could be had.
     */
    Launched launch(Vault vault, VaultCompute compute, String serverId, String tokenSha256);

    /** The server's compute state; its endpoint once it serves. */
    Observed observe(VaultCompute compute, ServerRecord server);

    /** Asks the server to drain and stop (SIGTERM); it flushes what it holds and exits. */
    void stop(VaultCompute compute, ServerRecord server, String reason);

    /**
     * The command of a server in the worker image, which runs the ScaleZ CLI when its first argument is
     * {@code scalez}: {@code scalez serve} on the vault's bucket and key, locking the repository in the vault's
     * table as the workers do, listening on {@code listen} ({@code host:port}).
     */
    static List<String> serveCommand(Vault vault, VaultCompute compute, String listen) {
        return List.of(
                "scalez",
                "serve",
                "--repo",
                "s3://" + vault.bucketName(),
                "--kms-key",
                vault.kmsKeyArn(),
                "--vault",
                vault.id(),
                "--lock-table",
                compute.tableName(),
                "--listen",
                listen);
    }
}
