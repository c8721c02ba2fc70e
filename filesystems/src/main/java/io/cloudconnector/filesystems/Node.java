package io.cloudconnector.filesystems;

import org.jspecify.annotations.Nullable;

/**
 * An entry of a browsable file system, as a directory listing shows it.
 *
 * @param name its name in its directory ({@code ""} for the root)
 * @param path its absolute path, {@code /} for the root
 * @param mode the permission bits and the set-id and sticky bits ({@code 07777})
 * @param modifiedSeconds its modification time, seconds since the epoch
 * @param modifiedNanos the nanoseconds within that second (0 where the file system keeps none)
 * @param target what a symbolic link points to (null for anything else, or a link whose target cannot be read)
 * @param reference the file system's own reference to it (the ext inode number)
 */
public record Node(
        String name,
        String path,
        Type type,
        long size,
        int mode,
        long uid,
        long gid,
        long modifiedSeconds,
        int modifiedNanos,
        @Nullable String target,
        long reference) {

    /** What a node is: a regular file, a directory, a symbolic link or anything else (a device, fifo, socket). */
    public enum Type {
        FILE,
        DIR,
        SYMLINK,
        OTHER
    }

    /** Whether it is a directory. */
    public boolean directory() {
        return type == Type.DIR;
    }
}
