package io.cloudconnector.integrity.vault;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * A vault as integrity knows it: where its data is and whether new recovery points in it are scanned
 * automatically. {@code deleted} vaults are kept as tombstones so that late events about them are recognised (of a
 * vault whose deletion arrived before its creation, what the creation tells is empty until it arrives).
 */
public record VaultRecord(
        String id,
        String name,
        String region,
        String bucketName,
        String kmsKeyArn,
        boolean autoScan,
        @JsonIgnore boolean deleted,
        Instant updatedAt) {}
