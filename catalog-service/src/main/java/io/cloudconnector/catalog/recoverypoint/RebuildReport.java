package io.cloudconnector.catalog.recoverypoint;

import java.util.List;

/**
 * What a catalog rebuild found: the manifests in the vault's bucket, the rows it added and fixed, how
 * many were already right, the rows whose manifest is gone (now deleted), and manifests it could not
 * index (not written by a connector backup: no asset label).
 */
public record RebuildReport(
        String vaultId,
        int manifests,
        List<String> added,
        List<String> fixed,
        int unchanged,
        List<String> removed,
        List<String> skipped,
        long recoveryPointCount,
        long storedBytes) {

    public RebuildReport {
        added = List.copyOf(added);
        fixed = List.copyOf(fixed);
        removed = List.copyOf(removed);
        skipped = List.copyOf(skipped);
    }
}
