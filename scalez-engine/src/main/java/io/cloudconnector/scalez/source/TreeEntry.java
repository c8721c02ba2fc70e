package io.cloudconnector.scalez.source;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a directory tree: its path relative to the root ({@code ""} for the root itself,
 * {@code /}-separated), where it is on disk, its type, size, attributes and, for a symlink, its target.
 */
public record TreeEntry(
        String path,
        Path file,
        EntryType type,
        long size,
        FileAttributes attributes,
        @Nullable String linkTarget) {}
