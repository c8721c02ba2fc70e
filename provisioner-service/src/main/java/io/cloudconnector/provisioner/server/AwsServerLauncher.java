package io.cloudconnector.provisioner.server;

import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;

/**
 * The {@code ecs} mode's launcher: a vault's servers start where its stack says ({@code ScalezCapacity}: Fargate
 * Spot tasks, or EC2 spot instances), and a server is watched and stopped where it was started (its capacity type),
 * so changing a vault's setting leaves running servers to finish on their own compute.
 */
final class AwsServerLauncher implements ServerLauncher {

    private final ServerLauncher tasks;
    private final ServerLauncher instances;

    AwsServerLauncher(ServerLauncher tasks, ServerLauncher instances) {
        this.tasks = tasks;
        this.instances = instances;
    }

    @Override
    public Launched launch(Vault vault, VaultCompute compute, String serverId, String tokenSha256) {
        return (compute.capacity() == VaultCompute.Capacity.EC2_SPOT ? instances : tasks)
                .launch(vault, compute, serverId, tokenSha256);
    }

    @Override
    public Observed observe(VaultCompute compute, ServerRecord server) {
        return on(server).observe(compute, server);
    }

    @Override
    public void stop(VaultCompute compute, ServerRecord server, String reason) {
        on(server).stop(compute, server, reason);
    }

    private ServerLauncher on(ServerRecord server) {
        return switch (server.capacityType()) {
            case EC2_SPOT, EC2_ON_DEMAND -> instances;
            default -> tasks;
        };
    }
}
