package io.cloudconnector.provisioner.server;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A ScaleZ server as the provisioner keeps it: what the API shows plus where it runs ({@code computeId}: the ECS
 * task ARN, or {@code local:<pid>}), its token (given to workers through the vault's table, never through the
 * API), the SHA-256 of its TLS certificate (which the server publishes in the vault's table; workers pin it), and
 * why it stopped.
 */
record ServerRecord(
        String id,
        String vaultId,
        ServerState state,
        CapacityType capacityType,
        @Nullable String endpoint,
        @Nullable String certificateSha256,
        @Nullable String computeId,
        String token,
        Instant startedAt,
        Instant lastActivityAt,
        @Nullable String stopReason) {

    ServerRecord with(ServerState newState) {
        return new ServerRecord(
                id,
                vaultId,
                newState,
                capacityType,
                endpoint,
                certificateSha256,
                computeId,
                token,
                startedAt,
                lastActivityAt,
                stopReason);
    }

    ServerRecord running(@Nullable String newEndpoint) {
        return new ServerRecord(
                id,
                vaultId,
                ServerState.RUNNING,
                capacityType,
                newEndpoint,
                certificateSha256,
                computeId,
                token,
                startedAt,
                lastActivityAt,
                stopReason);
    }

    ServerRecord withCertificate(String sha256) {
        return new ServerRecord(
                id,
                vaultId,
                state,
                capacityType,
                endpoint,
                sha256,
                computeId,
                token,
                startedAt,
                lastActivityAt,
                stopReason);
    }

    ServerRecord launched(String newComputeId, CapacityType type) {
        return new ServerRecord(
                id,
                vaultId,
                state,
                type,
                endpoint,
                certificateSha256,
                newComputeId,
                token,
                startedAt,
                lastActivityAt,
                stopReason);
    }

    ServerRecord active(Instant at) {
        return new ServerRecord(
                id,
                vaultId,
                state,
                capacityType,
                endpoint,
                certificateSha256,
                computeId,
                token,
                startedAt,
                at,
                stopReason);
    }

    ServerRecord stopping(ServerState newState, String reason) {
        return new ServerRecord(
                id,
                vaultId,
                newState,
                capacityType,
                endpoint,
                certificateSha256,
                computeId,
                token,
                startedAt,
                lastActivityAt,
                stopReason == null ? reason : stopReason);
    }

    boolean serving() {
        return state == ServerState.STARTING || state == ServerState.RUNNING;
    }

    ScalezServer view() {
        return new ScalezServer(id, vaultId, state, endpoint, capacityType, startedAt, lastActivityAt);
    }
}
