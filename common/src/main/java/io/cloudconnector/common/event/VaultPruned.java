package io.cloudconnector.common.event;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A vault's maintenance finished: unreferenced data was deleted or repacked, {@code storedBytes} is what the vault's
 * repository now holds, and {@code damage} names every object its check found damaged (empty: healthy).
 */
public record VaultPruned(
        String vaultId,
        String jobId,
        long storedBytes,
        long bytesFreed,
        @Nullable List<String> damage) implements ConnectorEvent {

    public VaultPruned {
        damage = damage == null ? List.of() : List.copyOf(damage);
    }

    /** A maintenance that found no damage. */
    public VaultPruned(String vaultId, String jobId, long storedBytes, long bytesFreed) {
        this(vaultId, jobId, storedBytes, bytesFreed, List.of());
    }
}
