package io.cloudconnector.backgroundjobs.backup;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/backups}: back up an asset into a vault.
 *
 * @param assetId {@code aws:ebs:<account>:<region>:vol-…}, {@code aws:ec2:<account>:<region>:i-…}, or a bare
 *     {@code vol-…}/{@code i-…} in the connector's account and region
 * @param snapshotId back up this completed snapshot of the volume instead of taking a new one
 */
record CreateBackupRequest(
        @NotBlank String assetId,
        @NotBlank String vaultId,

        @Nullable @Pattern(regexp = "snap-[0-9a-f]{8,17}", message = "must be a snapshot id, snap-…")
        String snapshotId) {}
