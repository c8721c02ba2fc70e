package io.cloudconnector.backgroundjobs.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.filesystems.Node;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An entry of a directory listing.
 *
 * @param type {@code file}, {@code dir}, {@code symlink} or {@code other} (a device, fifo or socket)
 * @param mode the permission bits in octal, e.g. {@code 0644} (with the set-id and sticky bits: {@code 4755})
 * @param target what a symbolic link points to; absent for anything else
 */
record FileView(
        String name,
        String path,
        String type,
        long size,
        String mode,
        long uid,
        long gid,
        Instant modifiedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String target) {

    static FileView of(Node node) {
        return new FileView(
                node.name(),
                node.path(),
                node.type().name().toLowerCase(Locale.ROOT),
                node.size(),
                String.format(Locale.ROOT, "%04o", node.mode()),
                node.uid(),
                node.gid(),
                Instant.ofEpochSecond(node.modifiedSeconds(), node.modifiedNanos()),
                node.target());
    }
}
