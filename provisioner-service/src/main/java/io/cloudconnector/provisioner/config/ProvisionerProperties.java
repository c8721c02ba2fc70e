package io.cloudconnector.provisioner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provisioner's settings ({@code provisioner.*}); see docs/provisioner.md.
 *
 * @param mode {@code ecs} (ScaleZ servers as ECS tasks in the vault's cluster, or EC2 instances from its launch
 *     template when its stack says {@code ScalezCapacity: EC2_SPOT}) or {@code local} (as local
 *     {@code scalez serve} processes, for the local stack)
 * @param idleTimeout a server with no pending or running job of its vault for this long is stopped
 * @param maxServersPerVault never more servers per vault than this
 * @param jobsPerServer active jobs one server is sized for: a vault gets ceil(jobs / this) servers, up to the max
 * @param reconcileInterval how often each replica compares demand with the servers it may run
 * @param reconcileEnabled whether the periodic reconciliation runs (tests drive it by hand)
 * @param leaseDuration how long a replica's lease on a vault lasts without renewal; a crashed replica's lease
 *     is taken over after it
 * @param serverPort the port a server listens on in its task
 * @param containerName the container of the vault's ScaleZ server task definition
 * @param local how local mode starts {@code scalez serve}
 */
@ConfigurationProperties("provisioner")
public record ProvisionerProperties(
        @DefaultValue("ecs") Mode mode,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("1") int maxServersPerVault,
        @DefaultValue("4") int jobsPerServer,
        @DefaultValue("15s") Duration reconcileInterval,
        @DefaultValue("true") boolean reconcileEnabled,
        @DefaultValue("60s") Duration leaseDuration,
        @DefaultValue("7070") int serverPort,
        @DefaultValue("scalez-server") String containerName,
        @DefaultValue Local local) {

    /** Where servers run. */
    public enum Mode {
        /**
         * AWS compute: ECS tasks on Fargate Spot (on-demand Fargate when spot has no capacity), or EC2 spot
         * instances (on-demand when spot has none) for vaults configured so.
         */
        ECS,
        /** Local {@code scalez serve} processes. */
        LOCAL
    }

    /**
     * Local mode.
     *
     * @param command the command that runs the ScaleZ CLI, e.g. {@code ./scalez} or {@code java -jar scalez.jar};
     *     {@code serve ...} is appended
     * @param listenHost the address local servers listen on (port chosen by the server)
     * @param workDir where each server's ready file and log go (default: a temporary directory)
     */
    public record Local(
            @DefaultValue("./scalez") List<String> command,
            @DefaultValue("127.0.0.1") String listenHost,
            @Nullable Path workDir) {}

    public ProvisionerProperties {
        requirePositive("provisioner.idle-timeout", idleTimeout);
        requirePositive("provisioner.reconcile-interval", reconcileInterval);
        requirePositive("provisioner.lease-duration", leaseDuration);
        if (maxServersPerVault < 1 || maxServersPerVault > 16) {
            throw new IllegalArgumentException(
                    "provisioner.max-servers-per-vault must be 1-16, was " + maxServersPerVault);
        }
        if (jobsPerServer < 1) {
            throw new IllegalArgumentException("provisioner.jobs-per-server must be at least 1, was " + jobsPerServer);
        }
        if (leaseDuration.compareTo(reconcileInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException(
                    "provisioner.lease-duration must be at least twice the reconcile interval,"
                            + " so that a live replica renews it in time");
        }
        if (serverPort < 1 || serverPort > 65535) {
            throw new IllegalArgumentException("provisioner.server-port must be a port, was " + serverPort);
        }
        if (local.command().isEmpty()) {
            throw new IllegalArgumentException("provisioner.local.command must not be empty");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
