package io.cloudconnector.catalog.recoverypoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.RecoveryPointKind;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A recovery point as the API shows it; {@code lastRestoreTest} is absent until a restore test of it finished. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecoveryPoint(
        String id,
        String vaultId,
        String assetId,
        RecoveryPointKind kind,
        Instant createdAt,
        @Nullable String parentRecoveryPointId,
        long logicalBytes,
        long storedBytes,
        @Nullable String jobId,
        Map<String, String> source,
        ScanStatus scanStatus,
        @Nullable String scanReportId,
        RecoveryPointState state,
        @Nullable RestoreTest lastRestoreTest) {

    public RecoveryPoint {
        source = Map.copyOf(source);
    }
}
