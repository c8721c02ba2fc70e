package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.model.Finding;
import java.util.List;

/**
 * The result of check: damage (corrupt, truncated or missing objects), objects that could not be checked
 * (store outage: not damage), harmless warnings, and how much was looked at.
 */
public record CheckReport(
        List<Finding> damage,
        List<Finding> unverified,
        List<Finding> warnings,
        int recoveryPoints,
        int packs,
        long blobsRead,
        int packsRead) {

    public CheckReport(
            List<Finding> damage,
            List<Finding> unverified,
            List<Finding> warnings,
            int recoveryPoints,
            int packs,
            long blobsRead) {
        this(damage, unverified, warnings, recoveryPoints, packs, blobsRead, 0);
    }

    public CheckReport {
        damage = List.copyOf(damage);
        unverified = List.copyOf(unverified);
        warnings = List.copyOf(warnings);
    }

    /** No damage and everything was checked. */
    public boolean isClean() {
        return damage.isEmpty() && unverified.isEmpty();
    }
}
