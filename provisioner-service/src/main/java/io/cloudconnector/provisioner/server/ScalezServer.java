package io.cloudconnector.provisioner.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A ScaleZ server as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScalezServer(
        String id,
        String vaultId,
        ServerState state,
        @Nullable String endpoint,
        CapacityType capacityType,
        Instant startedAt,
        @Nullable Instant lastActivityAt) {}
