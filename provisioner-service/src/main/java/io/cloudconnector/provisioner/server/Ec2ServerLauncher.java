package io.cloudconnector.provisioner.server;

import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * ScaleZ servers as EC2 instances, for vaults whose stack says {@code ScalezCapacity: EC2_SPOT}: one instance per
 * server from the vault's launch template (image, type, instance profile, IMDSv2, encrypted root volume), as a
 * one-time spot instance in each of the vault's subnets in turn, then on demand in each when spot has no capacity.
 * The user data writes the server's environment and a systemd unit that runs the worker image's {@code scalez serve}
 * under Docker; stopping the unit (an instance shutdown, or the server exiting) powers the instance off, and the
 * template makes a shutdown terminate it. Terminating an instance stops the unit, whose {@code docker stop} gives
 * the server 30 seconds to drain (a spot interruption gives two minutes).
 *
 * <p>Each attempt's client token derives from the server id, so a retried call starts no second instance.
 */
final class Ec2ServerLauncher implements ServerLauncher {

    /** Error codes that mean "no capacity of this kind here": try the next subnet, then on demand. */
    static final Set<String> NO_CAPACITY = Set.of(
            "InsufficientInstanceCapacity",
            "InsufficientCapacity",
            "SpotMaxPriceTooLow",
            "MaxSpotInstanceCountExceeded",
            "VcpuLimitExceeded",
            "Unsupported",
            "InsufficientFreeAddressesInSubnet");
    /** A just-launched instance may not be visible to DescribeInstances yet (eventual consistency). */
    private static final Duration VISIBILITY = Duration.ofMinutes(5);
    /** What may appear unquoted in the user data; every value the provisioner writes there is one of these. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@+=,-]+");

    private static final Logger log = LoggerFactory.getLogger(Ec2ServerLauncher.class);

    private final Ec2Client ec2;
    private final ProvisionerProperties properties;
    private final String connectorId;
    private final Clock clock;

    Ec2ServerLauncher(Ec2Client ec2, ProvisionerProperties properties, String connectorId, Clock clock) {
        this.ec2 = ec2;
        this.properties = properties;
        this.connectorId = connectorId;
        this.clock = clock;
    }

    @Override
    public Launched launch(Vault vault, VaultCompute compute, String serverId, String tokenSha256) {
        if (compute.launchTemplateId() == null
                || compute.serverImage() == null
                || compute.subnets().isEmpty()
                || compute.securityGroup() == null) {
            throw new IllegalStateException("Vault " + vault.id() + " runs ScaleZ servers on EC2 but its stack outputs"
                    + " have no launch template, server image, subnets or security group");
        }
        var userData = Base64.getEncoder()
                .encodeToString(userData(vault, compute, serverId, tokenSha256).getBytes(StandardCharsets.UTF_8));
        List<String> refusals = new ArrayList<>();
        for (boolean spot : new boolean[] {true, false}) {
            for (int i = 0; i < compute.subnets().size(); i++) {
                var subnet = compute.subnets().get(i);
                var token = serverId + (spot ? "-s" : "-o") + i;
                try {
                    var instance = ec2.runInstances(request(vault, compute, serverId, subnet, spot, userData, token))
                            .instances()
                            .getFirst();
                    return new Launched(
                            instance.instanceId(), spot ? CapacityType.EC2_SPOT : CapacityType.EC2_ON_DEMAND);
                } catch (Ec2Exception e) {
                    var code = code(e);
                    if (!NO_CAPACITY.contains(code)) {
                        throw e;
                    }
                    refusals.add((spot ? "spot" : "on-demand") + " in " + subnet + ": " + code);
                    log.info(
                            "No {} capacity for server {} of vault {} in {} ({})",
                            spot ? "spot" : "on-demand",
                            serverId,
                            vault.id(),
                            subnet,
                            code);
                }
            }
        }
        throw new IllegalStateException("EC2 could not start server " + serverId + " of vault " + vault.id()
                + " on spot or on demand: " + String.join("; ", refusals));
    }

    private RunInstancesRequest request(
            Vault vault,
            VaultCompute compute,
            String serverId,
            String subnet,
            boolean spot,
            String userData,
            String clientToken) {
        var tags = List.of(
                tag("Name", "scalez-server " + serverId),
                tag("cloudconnector:connector", connectorId),
                tag("cloudconnector:vault", vault.id()),
                tag("cloudconnector:scalez-server", serverId));
        var builder = RunInstancesRequest.builder()
                .minCount(1)
                .maxCount(1)
                .clientToken(clientToken)
                .launchTemplate(
                        t -> t.launchTemplateId(compute.launchTemplateId()).version("$Latest"))
                .userData(userData)
                .tagSpecifications(
                        Set.of(ResourceType.INSTANCE, ResourceType.VOLUME, ResourceType.NETWORK_INTERFACE).stream()
                                .map(type -> TagSpecification.builder()
                                        .resourceType(type)
                                        .tags(tags)
                                        .build())
                                .toList());
        if ("ENABLED".equals(compute.assignPublicIp())) {
            builder.networkInterfaces(n -> n.deviceIndex(0)
                    .subnetId(subnet)
                    .associatePublicIpAddress(true)
                    .groups(Objects.requireNonNull(compute.securityGroup())));
        } else {
            builder.subnetId(subnet).securityGroupIds(compute.securityGroup());
        }
        if (spot) {
            builder.instanceMarketOptions(m -> m.marketType(MarketType.SPOT)
                    .spotOptions(o -> o.spotInstanceType(SpotInstanceType.ONE_TIME)
                            .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE)));
        }
        return builder.build();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** The instance's boot script: the server's environment, a systemd unit running it, and the unit started. */
    String userData(Vault vault, VaultCompute compute, String serverId, String tokenSha256) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SCALEZ_SERVER_ID", serverId);
        environment.put("SCALEZ_SERVER_TOKEN_SHA256", tokenSha256);
        environment.put("CONNECTOR_ID", connectorId);
        environment.put("AWS_REGION", vault.region());
        environment.put("CONNECTOR_AWS_REGION", vault.region());
        environment.put("CONNECTOR_VAULT_ID", vault.id());
        environment.put("CONNECTOR_VAULT_BUCKET", vault.bucketName());
        environment.put("CONNECTOR_VAULT_KEY_ARN", vault.kmsKeyArn());
        environment.put("CONNECTOR_VAULT_TABLE", compute.tableName());
        var image = safe(Objects.requireNonNull(compute.serverImage()));
        var region = safe(vault.region());
        List<String> run = new ArrayList<>(List.of(
                "/usr/bin/docker",
                "run",
                "--rm",
                "--name",
                "scalez-server",
                "--network",
                "host",
                "--env-file",
                "/etc/scalez-server.env"));
        if (compute.logGroup() != null) {
            run.addAll(List.of(
                    "--log-driver",
                    "awslogs",
                    "--log-opt",
                    "awslogs-region=" + region,
                    "--log-opt",
                    "awslogs-group=" + safe(compute.logGroup()),
                    "--log-opt",
                    "awslogs-stream=scalez-server/" + safe(serverId)));
        }
        run.add(image);
        ServerLauncher.serveCommand(vault, compute, "0.0.0.0:" + properties.serverPort())
                .forEach(arg -> run.add(safe(arg)));
        var env = new StringBuilder();
        environment.forEach((name, value) ->
                env.append(name).append('=').append(safe(value)).append('\n'));
        return """
                #!/bin/bash
                # ScaleZ server %1$s of vault %2$s (Cloud Connector %3$s), written by the provisioner.
                set -euo pipefail
                IMAGE=%4$s
                REGION=%5$s
                # Docker runs the server; the ECS agent of the ECS-optimised image has no cluster to join.
                systemctl disable --now ecs.service 2>/dev/null || true
                if [[ "$IMAGE" == *.dkr.ecr.*.amazonaws.com/* ]]; then
                  command -v aws >/dev/null || dnf install -y -q awscli-2
                  for attempt in 1 2 3 4 5; do
                    aws ecr get-login-password --region "$REGION" \\
                      | docker login --username AWS --password-stdin "${IMAGE%%%%/*}" && break
                    sleep $((attempt * 5 + RANDOM %% 5))
                  done
                fi
                umask 077
                cat >/etc/scalez-server.env <<'ENV'
                %6$sENV
                cat >/etc/systemd/system/scalez-server.service <<'UNIT'
                [Unit]
                Description=ScaleZ server %1$s of vault %2$s
                After=docker.service
                Requires=docker.service

                [Service]
                ExecStartPre=-/usr/bin/docker rm -f scalez-server
                ExecStart=%7$s
                # SIGTERM, then 30 s to drain and flush before Docker kills it.
                ExecStop=/usr/bin/docker stop --time 30 scalez-server
                TimeoutStopSec=45
                Restart=no
                # However the server ends, the instance powers off, and the launch template makes that a termination.
                ExecStopPost=/usr/bin/systemctl --no-block poweroff

                [Install]
                WantedBy=multi-user.target
                UNIT
                systemctl daemon-reload
                systemctl enable --now scalez-server.service
                """.formatted(
                        safe(serverId), safe(vault.id()), safe(connectorId), image, region, env, String.join(" ", run));
    }

    private static String safe(String value) {
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalStateException("Refusing to write " + value + " into a server's user data");
        }
        return value;
    }

    @Override
    public Observed observe(VaultCompute compute, ServerRecord server) {
        if (server.computeId() == null) {
            return new Observed(Status.STARTING, null);
        }
        List<Instance> found;
        try {
            found = ec2.describeInstances(b -> b.instanceIds(server.computeId())).reservations().stream()
                    .flatMap(r -> r.instances().stream())
                    .toList();
        } catch (Ec2Exception e) {
            if (!code(e).equals("InvalidInstanceID.NotFound")) {
                throw e;
            }
            found = List.of();
        }
        if (found.isEmpty()) {
            // Terminated instances disappear after about an hour; a new one may not be visible yet.
            var young = server.startedAt().plus(VISIBILITY).isAfter(clock.instant());
            return new Observed(young ? Status.STARTING : Status.STOPPED, null);
        }
        var instance = found.getFirst();
        return switch (instance.state().name()) {
            case PENDING -> new Observed(Status.STARTING, null);
            case RUNNING ->
                new Observed(
                        Status.RUNNING,
                        instance.privateIpAddress() == null
                                ? null
                                : "https://" + instance.privateIpAddress() + ":" + properties.serverPort());
            default -> new Observed(Status.STOPPED, null);
        };
    }

    @Override
    public void stop(VaultCompute compute, ServerRecord server, String reason) {
        if (server.computeId() == null) {
            return;
        }
        log.info("Terminating instance {} of ScaleZ server {}: {}", server.computeId(), server.id(), reason);
        try {
            ec2.terminateInstances(b -> b.instanceIds(server.computeId()));
        } catch (Ec2Exception e) {
            if (!code(e).equals("InvalidInstanceID.NotFound")) {
                throw e;
            }
        }
    }

    private static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? ""
                : e.awsErrorDetails().errorCode();
    }
}
