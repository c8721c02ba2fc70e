package io.cloudconnector.scalez.maintenance;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one maintenance run does besides pruning and checking structure: the retention policy to apply (null: none),
 * recovery points to forget by id (those still locked or held are kept and reported), and whether to read a
 * rotating sample of packs ({@code readDataCycleDays}: every pack is read once per that many days; 0: none).
 */
public record MaintenanceOptions(@Nullable RetentionPolicy policy, List<String> forget, int readDataCycleDays) {

    public MaintenanceOptions {
        forget = List.copyOf(forget);
        if (readDataCycleDays < 0) {
            throw new IllegalArgumentException("readDataCycleDays must be 0 or more: " + readDataCycleDays);
        }
    }

    /** No policy, nothing to forget, a 30-day read-data cycle (what the daily vault-maintenance job runs). */
    public static MaintenanceOptions defaults() {
        return new MaintenanceOptions(null, List.of(), 30);
    }

    public MaintenanceOptions withPolicy(RetentionPolicy p) {
        return new MaintenanceOptions(p, forget, readDataCycleDays);
    }

    public MaintenanceOptions withForget(List<String> ids) {
        return new MaintenanceOptions(policy, ids, readDataCycleDays);
    }

    public MaintenanceOptions withReadDataCycleDays(int days) {
        return new MaintenanceOptions(policy, forget, days);
    }
}
