package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobRequeueRequested;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.job.ActiveJob;
import io.cloudconnector.provisioner.job.JobDemand;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;
import io.cloudconnector.provisioner.vault.VaultRepository;
import io.cloudconnector.provisioner.vault.VaultStacks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each vault's ScaleZ servers matched to its demand. At every pass, for each vault with queued or running
 * backups or with live servers, the replica that holds the vault's lease: looks at its servers' compute (stopped
 * ones are marked so, started ones get their endpoint and, once they have published their certificate's fingerprint,
 * their registration); with demand, starts servers up to
 * ceil(jobs / jobs-per-server), at most max-servers-per-vault, and tells the jobs' owners with
 * {@code JobProvisioning}; without demand for {@code idle-timeout}, stops them (they drain). Replicas that do not
 * hold the lease do nothing for that vault, so two replicas never start two servers.
 */
public final class Provisioner {

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VaultRepository vaults;
    private final VaultStacks stacks;
    private final JobDemand demand;
    private final ScalezServerRepository servers;
    private final ServerLauncher launcher;
    private final VaultLeases leases;
    private final ServerRegistrations registrations;
    private final EventPublisher publisher;
    private final ProvisionerProperties properties;
    private final Clock clock;
    private final String owner;

    Provisioner(
            VaultRepository vaults,
            VaultStacks stacks,
            JobDemand demand,
            ScalezServerRepository servers,
            ServerLauncher launcher,
            VaultLeases leases,
            ServerRegistrations registrations,
            EventPublisher publisher,
            ProvisionerProperties properties,
            Clock clock,
            String owner) {
        this.vaults = vaults;
        this.stacks = stacks;
        this.demand = demand;
        this.servers = servers;
        this.launcher = launcher;
        this.leases = leases;
        this.registrations = registrations;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
        this.owner = owner;
    }

    /** This replica's name in leases. */
    public String owner() {
        return owner;
    }

    /** One pass over every vault; a vault that fails (AWS unreachable, a launch refused) is retried at the next. */
    public void reconcile() {
        for (var vault : vaults.active()) {
            try {
                reconcile(vault);
            } catch (RuntimeException e) {
                log.warn(
                        "Reconciling the ScaleZ servers of vault {} failed; next pass retries: {}",
                        vault.id(),
                        e.toString());
            }
        }
    }

    void reconcile(Vault vault) {
        var now = clock.instant();
        var jobs = demand.active(vault.id());
        var live = servers.live(vault.id());
        if (jobs.isEmpty() && live.isEmpty()) {
            return;
        }
        var compute = stacks.compute(vault.id());
        if (!leases.acquire(compute.tableName(), owner, now)) {
            log.debug("Vault {}: another replica holds the lease", vault.id());
            return;
        }
        List<ServerRecord> serving = new ArrayList<>();
        for (var server : live) {
            var observed = launcher.observe(compute, server);
            if (observed.status() == ServerLauncher.Status.STOPPED) {
                stopped(compute, server, server.state() == ServerState.DRAINING ? "drained" : "its compute stopped");
                continue;
            }
            if (server.state() == ServerState.DRAINING) {
                continue;
            }
            var current = server;
            if (observed.status() == ServerLauncher.Status.RUNNING
                    && (server.state() == ServerState.STARTING || server.endpoint() == null)) {
                current = current.running(observed.endpoint());
            }
            if (current.state() == ServerState.RUNNING && current.certificateSha256() == null) {
                // The server publishes its certificate's fingerprint once it listens; until then it is not
                // registered (a worker could not pin it).
                var published = registrations.publishedCertificate(compute.tableName(), current.id());
                if (published.isPresent()) {
                    current = current.withCertificate(published.get());
                }
            }
            if (!jobs.isEmpty()) {
                current = current.active(now);
            }
            if (!current.equals(server)) {
                servers.save(current);
            }
            serving.add(current);
        }
        if (!jobs.isEmpty()) {
            int desired = Math.min(
                    properties.maxServersPerVault(),
                    (jobs.size() + properties.jobsPerServer() - 1) / properties.jobsPerServer());
            while (serving.size() < desired) {
                serving.add(start(vault, compute, now));
            }
            announce(jobs);
        } else {
            for (var server : List.copyOf(serving)) {
                if (!now.isBefore(server.lastActivityAt().plus(properties.idleTimeout()))) {
                    stop(compute, server, "idle since " + server.lastActivityAt());
                    serving.remove(server);
                }
            }
        }
        for (var server : serving) {
            if (server.state() == ServerState.RUNNING
                    && server.endpoint() != null
                    && server.certificateSha256() != null) {
                registrations.register(compute.tableName(), server, "running", now.plus(properties.leaseDuration()));
            }
        }
        if (jobs.isEmpty() && serving.isEmpty() && servers.live(vault.id()).isEmpty()) {
            leases.release(compute.tableName(), owner);
        }
    }

    private ServerRecord start(Vault vault, VaultCompute compute, Instant now) {
        var id = "srv-" + Ids.ulid().toLowerCase(Locale.ROOT);
        var tokenBytes = new byte[32];
        RANDOM.nextBytes(tokenBytes);
        var token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
        var capacity = properties.mode() == ProvisionerProperties.Mode.LOCAL
                ? CapacityType.LOCAL
                : compute.capacity() == VaultCompute.Capacity.EC2_SPOT
                        ? CapacityType.EC2_SPOT
                        : CapacityType.FARGATE_SPOT;
        var server = new ServerRecord(
                id, vault.id(), ServerState.STARTING, capacity, null, null, null, token, now, now, null);
        // Recorded before the launch: a replica that dies in between leaves a server that the next pass sees
        // (and, with no compute to observe, marks stopped), never an untracked task.
        servers.save(server);
        ServerLauncher.Launched launched;
        try {
            launched = launcher.launch(vault, compute, id, sha256Hex(token));
        } catch (RuntimeException e) {
            servers.save(server.stopping(ServerState.STOPPED, "launch failed: " + e.getMessage()));
            throw e;
        }
        var started = server.launched(launched.computeId(), launched.capacityType());
        servers.save(started);
        log.info(
                "Started ScaleZ server {} of vault {} on {} ({})",
                id,
                vault.id(),
                launched.capacityType(),
                launched.computeId());
        return started;
    }

    private void announce(List<ActiveJob> jobs) {
        for (var job : jobs) {
            if (!job.started() && !job.provisioningAnnounced()) {
                publisher.publish(new JobProvisioning(job.jobId()), job.jobId());
                demand.provisioningAnnounced(job.jobId());
            }
        }
    }

    private void stop(VaultCompute compute, ServerRecord server, String reason) {
        registrations.remove(compute.tableName(), server.id());
        launcher.stop(compute, server, reason);
        servers.save(server.stopping(ServerState.DRAINING, reason));
        log.info("Stopping ScaleZ server {} of vault {}: {}", server.id(), server.vaultId(), reason);
    }

    private void stopped(VaultCompute compute, ServerRecord server, String reason) {
        registrations.remove(compute.tableName(), server.id());
        servers.save(server.stopping(ServerState.STOPPED, reason));
    }

    /**
     * {@code POST /v1/vaults/{id}/scalez-servers:stop}: drains every serving server of the vault now. Jobs still
     * queued get a new server at the next pass.
     */
    List<ScalezServer> stopAll(String vaultId) {
        var compute = stacks.compute(vaultId);
        List<ScalezServer> stopping = new ArrayList<>();
        for (var server : servers.live(vaultId)) {
            if (server.serving()) {
                stop(compute, server, "stopped through the API");
                stopping.add(server.stopping(ServerState.DRAINING, "stopped through the API")
                        .view());
            } else {
                stopping.add(server.view());
            }
        }
        return stopping;
    }

    /**
     * A spot interruption of the server on {@code computeId}: it is told to drain (it flushes what it holds),
     * workers stop finding it, and every running job of its vault — each wrote through it — is requeued with
     * {@code JobRequeueRequested}. A second notice for the same server (the EC2 warning, then the ECS stop) does
     * nothing more.
     */
    void interrupted(String computeId, String reason) {
        var found = servers.byCompute(computeId);
        if (found.isEmpty()) {
            log.debug("Interruption of {}: not a ScaleZ server", computeId);
            return;
        }
        var server = found.get();
        if (reason.equals(server.stopReason())) {
            return;
        }
        var compute = stacks.compute(server.vaultId());
        registrations.remove(compute.tableName(), server.id());
        if (server.state() != ServerState.STOPPED) {
            try {
                launcher.stop(compute, server, reason);
            } catch (RuntimeException e) {
                // The reclaim stops it anyway; the requeue must not wait for that.
                log.info("Could not ask server {} to stop ({}); spot reclaims it anyway", server.id(), e.toString());
            }
            servers.save(server.stopping(ServerState.DRAINING, reason));
        }
        var running = demand.active(server.vaultId()).stream()
                .filter(ActiveJob::started)
                .toList();
        for (var job : running) {
            publisher.publish(new JobRequeueRequested(job.jobId(), server.vaultId(), server.id(), reason), job.jobId());
        }
        log.warn(
                "ScaleZ server {} of vault {} interrupted ({}); requeued {} running jobs",
                server.id(),
                server.vaultId(),
                reason,
                running.size());
    }

    /** The server's compute stopped for another reason than spot (a crash, an operator): it no longer serves. */
    void computeStopped(String computeId, String reason) {
        servers.byCompute(computeId)
                .filter(s -> s.state() != ServerState.STOPPED)
                .ifPresent(server -> stopped(stacks.compute(server.vaultId()), server, reason));
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
