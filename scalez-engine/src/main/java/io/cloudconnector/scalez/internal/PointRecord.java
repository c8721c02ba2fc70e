package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.blob.LockMode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a recovery point written into a versioned store records about the objects it needs (manifest format 2,
 * storage-format §7.2): its lock ({@code lockedUntil} and mode, null when the store has no Object Lock) and, for
 * every index file and pack it reads, the version id written by the engine and the retention the engine knows
 * that version to have ({@code null}: none known).
 */
public record PointRecord(
        @Nullable Instant lockedUntil, @Nullable LockMode mode, List<Entry> objects) {

    /** One object version a point needs. */
    public record Entry(
            String key, String versionId, @Nullable Instant retainUntil) {}

    public PointRecord {
        objects = List.copyOf(objects);
    }

    /** The recorded version of {@code key}, or null. */
    public @Nullable Entry find(String key) {
        for (var e : objects) {
            if (e.key().equals(key)) {
                return e;
            }
        }
        return null;
    }
}
