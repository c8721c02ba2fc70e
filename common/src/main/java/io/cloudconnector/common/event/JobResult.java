package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a job produced; each field is absent when the job's kind does not produce it. Backups, restores and scans
 * name what they made (a scan's {@code verdict}: {@code clean}, {@code infected}, {@code suspicious},
 * {@code unreadable}, {@code unknown}, goes with its report); a {@code vault-maintenance} job says what it reclaimed and checked.
 *
 * @param bytesFreed bytes of pack data deleted (maintenance)
 * @param packsDeleted packs deleted whole (maintenance)
 * @param packsRepacked mostly-garbage packs rewritten (maintenance)
 * @param recoveryPointsForgotten recovery points the maintenance forgot (ones expired or deleted whose forgetting had
 *     not been carried out yet)
 * @param checkedPacks packs the maintenance's check looked at
 * @param damage the objects the check found damaged, each named with what is wrong (maintenance; empty: none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(
        @Nullable String recoveryPointId,
        @Nullable String snapshotId,
        @Nullable String volumeId,
        @Nullable String instanceId,
        @Nullable String reportId,
        @Nullable String verdict,
        @Nullable Long bytesFreed,
        @Nullable Integer packsDeleted,
        @Nullable Integer packsRepacked,
        @Nullable Integer recoveryPointsForgotten,
        @Nullable Integer checkedPacks,
        @Nullable List<String> damage) {

    public JobResult {
        damage = damage == null ? null : List.copyOf(damage);
    }

    /** A result naming what a backup, restore or scan made, without a verdict. */
    public JobResult(
            @Nullable String recoveryPointId,
            @Nullable String snapshotId,
            @Nullable String volumeId,
            @Nullable String instanceId,
            @Nullable String reportId) {
        this(recoveryPointId, snapshotId, volumeId, instanceId, reportId, null);
    }

    /** A result naming what a backup, restore or scan made, with a scan's verdict. */
    public JobResult(
            @Nullable String recoveryPointId,
            @Nullable String snapshotId,
            @Nullable String volumeId,
            @Nullable String instanceId,
            @Nullable String reportId,
            @Nullable String verdict) {
        this(recoveryPointId, snapshotId, volumeId, instanceId, reportId, verdict, null, null, null, null, null, null);
    }

    /** The result of a {@code vault-maintenance} job. */
    public static JobResult maintenance(
            long bytesFreed,
            int packsDeleted,
            int packsRepacked,
            int recoveryPointsForgotten,
            int checkedPacks,
            List<String> damage) {
        return new JobResult(
                null,
                null,
                null,
                null,
                null,
                null,
                bytesFreed,
                packsDeleted,
                packsRepacked,
                recoveryPointsForgotten,
                checkedPacks,
                damage);
    }

    /** A result that names nothing. */
    public static JobResult none() {
        return new JobResult(null, null, null, null, null, null);
    }
}
