package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.filesystems.Browsable;
import org.jspecify.annotations.Nullable;

/**
 * A partition or logical volume of a recovery point: its name ({@code disk0p1}, {@code vol-…/p1}, {@code disk0p2/vg/lv}
 * or the disk's own name when it has no partition table), what it holds, and the file system to browse when it is
 * readable (else why not).
 */
record BrowsableVolume(
        String name,
        @Nullable String filesystem,
        long size,
        @Nullable String reason,
        @Nullable Browsable browsable) {

    boolean readable() {
        return browsable != null;
    }
}
