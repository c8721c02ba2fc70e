package io.cloudconnector.backgroundjobs.recoverypoint;

/**
 * Where a recovery point this service wrote stands: available (a restore source and an incremental base), expired by
 * its vault's retention, or deleted (by a tenant, or after its expiry was carried out). Only forward: a point never
 * becomes available again, and a deleted one never becomes expired.
 */
public enum RecoveryPointStatus {
    AVAILABLE,
    EXPIRED,
    DELETED;

    /** How a refusal names it: {@code expired}, {@code deleted}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
