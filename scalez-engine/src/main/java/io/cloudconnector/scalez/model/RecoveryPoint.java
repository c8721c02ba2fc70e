package io.cloudconnector.scalez.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A recovery point as listed: id ({@code rp-<ULID>}), kind, time, parent (block incrementals), what it
 * was made from, labels, logical size, and the bytes the backup read and added after dedup and compression.
 */
public record RecoveryPoint(
        String id,
        SourceKind kind,
        Instant time,
        @Nullable String parent,
        String source,
        Map<String, String> labels,
        long logicalSize,
        long bytesProcessed,
        long bytesAdded,
        Duration duration) {

    public RecoveryPoint {
        labels = Map.copyOf(labels);
    }
}
