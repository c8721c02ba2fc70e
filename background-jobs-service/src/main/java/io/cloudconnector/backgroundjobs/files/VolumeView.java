package io.cloudconnector.backgroundjobs.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A volume of a recovery point as {@code GET /v1/recovery-points/{id}/volumes} lists it.
 *
 * @param filesystem {@code ext4}, {@code xfs}, {@code ntfs}, {@code lvm2}, {@code luks2}, {@code swap}… or null when
 *     nothing was recognised
 * @param reason why it cannot be browsed; absent when it can
 */
record VolumeView(
        String name,
        @Nullable String filesystem,
        long size,
        boolean readable,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String reason) {

    static VolumeView of(BrowsableVolume volume) {
        return new VolumeView(volume.name(), volume.filesystem(), volume.size(), volume.readable(), volume.reason());
    }
}
