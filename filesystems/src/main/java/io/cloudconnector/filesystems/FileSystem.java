package io.cloudconnector.filesystems;

import java.util.List;
import java.util.function.Consumer;

/** A read-only file system inside a volume. Thread-safe once opened. */
public interface FileSystem {

    /** {@code ext2}, {@code ext3}, {@code ext4}, {@code ntfs} or {@code xfs}. */
    String type();

    /** What opening it found: superblock, journal and structure checks. */
    List<Finding> findings();

    /**
     * Visits every regular file from the root; damage met on the way (a corrupt directory, an unreadable
     * record) is reported to {@code problems} and the walk goes on.
     */
    void walk(Consumer<FileEntry> files, Consumer<Finding> problems);

    /** The content of a file the walk returned. */
    FileData open(FileEntry file);
}
