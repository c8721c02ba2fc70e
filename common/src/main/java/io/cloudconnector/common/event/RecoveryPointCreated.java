package io.cloudconnector.common.event;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A backup wrote a recovery point into a vault.
 *
 * @param logicalBytes the size of what was backed up
 * @param storedBytes what the recovery point added to the vault after deduplication and compression
 * @param source metadata of the source: snapshot id, volume id, instance id and type, ...
 */
public record RecoveryPointCreated(
        String recoveryPointId,
        String vaultId,
        String assetId,
        RecoveryPointKind kind,
        Instant createdAt,
        @Nullable String parentRecoveryPointId,
        long logicalBytes,
        long storedBytes,
        @Nullable String jobId,
        Map<String, String> source)
        implements ConnectorEvent {

    public RecoveryPointCreated {
        source = Map.copyOf(source);
    }
}
