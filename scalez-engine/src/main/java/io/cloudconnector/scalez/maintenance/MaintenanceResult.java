package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.model.Finding;
import java.util.List;

/**
 * What a maintenance run did: bytes freed and packs deleted or repacked by prune, recovery points forgotten (and
 * those it had to keep because Object Lock protects them), object versions whose retention it extended, packs
 * read in full by the rotating read-data sample, and the damage check found (object key + what is wrong; empty
 * when healthy) with what it could not verify.
 */
public record MaintenanceResult(
        long bytesFreed,
        int packsDeleted,
        int packsRepacked,
        int recoveryPointsForgotten,
        List<String> recoveryPointsKeptLocked,
        int locksExtended,
        int checkedPacks,
        List<Finding> damage,
        List<Finding> unverified) {

    public MaintenanceResult {
        recoveryPointsKeptLocked = List.copyOf(recoveryPointsKeptLocked);
        damage = List.copyOf(damage);
        unverified = List.copyOf(unverified);
    }
}
