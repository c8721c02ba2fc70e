package io.cloudconnector.provisioner.server;

import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * ScaleZ servers as ECS tasks of the vault's task definition in the vault's cluster, on the FARGATE_SPOT capacity
 * provider; when spot has no capacity (RunTask fails, or reports a capacity failure) the same task on FARGATE. The
 * container runs {@code scalez serve} on the vault's bucket and key; it learns the SHA-256 of its token from its
 * environment. The RunTask client token is the server id, so a retried launch starts no second task.
 */
final class EcsServerLauncher implements ServerLauncher {

    static final String SPOT = "FARGATE_SPOT";
    static final String ON_DEMAND = "FARGATE";
    private static final Logger log = LoggerFactory.getLogger(EcsServerLauncher.class);
    /** ECS task states from which a task never serves again. */
    private static final java.util.Set<String> STOPPING =
            java.util.Set.of("DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED", "DELETED");

    private final EcsClient ecs;
    private final ProvisionerProperties properties;

    EcsServerLauncher(EcsClient ecs, ProvisionerProperties properties) {
        this.ecs = ecs;
        this.properties = properties;
    }

    @Override
    public Launched launch(Vault vault, VaultCompute compute, String serverId, String tokenSha256) {
        if (compute.cluster() == null
                || compute.taskDefinition() == null
                || compute.subnets().isEmpty()
                || compute.securityGroup() == null) {
            throw new IllegalStateException("Vault " + vault.id() + " has no ScaleZ cluster, task definition, subnets"
                    + " or security group in its stack outputs");
        }
        try {
            var spot = run(vault, compute, serverId, tokenSha256, SPOT);
            if (spot.failures().isEmpty() && !spot.tasks().isEmpty()) {
                return new Launched(spot.tasks().getFirst().taskArn(), CapacityType.FARGATE_SPOT);
            }
            log.info(
                    "No Fargate Spot capacity for vault {} ({}); starting server {} on demand",
                    vault.id(),
                    spot.failures(),
                    serverId);
        } catch (EcsException e) {
            if (e.statusCode() >= 500
                    || !String.valueOf(e.getMessage())
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("capacity")) {
                throw e;
            }
            log.info(
                    "Fargate Spot refused server {} of vault {} ({}); starting it on demand",
                    serverId,
                    vault.id(),
                    e.getMessage());
        }
        // Another client token: ECS would answer the spot attempt's (failed) result again for the same one.
        var onDemand = run(vault, compute, serverId + "-od", tokenSha256, ON_DEMAND);
        if (!onDemand.failures().isEmpty() || onDemand.tasks().isEmpty()) {
            throw new IllegalStateException("ECS could not start server " + serverId + " of vault " + vault.id()
                    + " on Fargate Spot or Fargate: " + onDemand.failures());
        }
        return new Launched(onDemand.tasks().getFirst().taskArn(), CapacityType.FARGATE);
    }

    private RunTaskResponse run(
            Vault vault, VaultCompute compute, String clientToken, String tokenSha256, String capacityProvider) {
        var serverId = clientToken.endsWith("-od") ? clientToken.substring(0, clientToken.length() - 3) : clientToken;
        return ecs.runTask(b -> b.cluster(compute.cluster())
                .taskDefinition(compute.taskDefinition())
                .count(1)
                .clientToken(clientToken)
                .startedBy(serverId)
                .capacityProviderStrategy(CapacityProviderStrategyItem.builder()
                        .capacityProvider(capacityProvider)
                        .weight(1)
                        .build())
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(compute.subnets())
                        .securityGroups(Objects.requireNonNull(compute.securityGroup()))
                        .assignPublicIp(AssignPublicIp.fromValue(compute.assignPublicIp()))))
                .overrides(o -> o.containerOverrides(ContainerOverride.builder()
                        .name(properties.containerName())
                        .command(ServerLauncher.serveCommand(vault, compute, "0.0.0.0:" + properties.serverPort()))
                        .environment(
                                KeyValuePair.builder()
                                        .name("SCALEZ_SERVER_TOKEN_SHA256")
                                        .value(tokenSha256)
                                        .build(),
                                KeyValuePair.builder()
                                        .name("SCALEZ_SERVER_ID")
                                        .value(serverId)
                                        .build())
                        .build()))
                .tags(
                        Tag.builder()
                                .key("cloudconnector:vault")
                                .value(vault.id())
                                .build(),
                        Tag.builder()
                                .key("cloudconnector:scalez-server")
                                .value(serverId)
                                .build()));
    }

    @Override
    public Observed observe(VaultCompute compute, ServerRecord server) {
        if (server.computeId() == null) {
            return new Observed(Status.STARTING, null);
        }
        var described = ecs.describeTasks(b -> b.cluster(compute.cluster()).tasks(server.computeId()));
        if (described.tasks().isEmpty()) {
            // MISSING: ECS forgets stopped tasks after a while.
            return new Observed(Status.STOPPED, null);
        }
        var task = described.tasks().getFirst();
        var last = String.valueOf(task.lastStatus());
        if (STOPPING.contains(last)) {
            return new Observed(Status.STOPPED, null);
        }
        if (!last.equals("RUNNING")) {
            return new Observed(Status.STARTING, null);
        }
        String ip = task.attachments().stream()
                .flatMap(a -> a.details().stream())
                .filter(d -> "privateIPv4Address".equals(d.name()))
                .map(KeyValuePair::value)
                .findFirst()
                .orElse(null);
        return new Observed(Status.RUNNING, ip == null ? null : "https://" + ip + ":" + properties.serverPort());
    }

    @Override
    public void stop(VaultCompute compute, ServerRecord server, String reason) {
        if (server.computeId() == null) {
            return;
        }
        // ECS sends SIGTERM, waits the container's stop timeout (30 s by default), then SIGKILL: the server drains.
        ecs.stopTask(b -> b.cluster(compute.cluster())
                .task(server.computeId())
                .reason("ScaleZ server " + server.id() + ": " + reason));
    }
}
