package io.cloudconnector.filesystems;

/**
 * A regular file (or an NTFS named stream, {@code path:stream}) found in a file system: its path from the
 * root, size, modification time (epoch seconds) and the file system's own reference to it (ext inode
 * number, NTFS record number).
 */
public record FileEntry(String path, long size, long modified, long reference, int stream) {

    /** The default data of a file (no named stream). */
    public static final int MAIN_STREAM = -1;
}
