package io.cloudconnector.scalez.model;

import io.cloudconnector.scalez.source.EntryType;
import io.cloudconnector.scalez.source.FileAttributes;
import org.jspecify.annotations.Nullable;

/** An entry of a tree recovery point: relative path ({@code ""} is the root), type, size, attributes, link target. */
public record TreeNode(
        String path,
        EntryType type,
        long size,
        FileAttributes attributes,
        @Nullable String linkTarget) {}
