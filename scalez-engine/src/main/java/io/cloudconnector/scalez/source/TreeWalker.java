package io.cloudconnector.scalez.source;

import io.cloudconnector.scalez.ScalezException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks a directory tree depth-first, a directory before its children and children sorted by name, so
 * that two backups of the same tree produce the same node stream (which then deduplicates).
 * Sockets, fifos and devices are skipped: they hold no data to restore.
 */
public final class TreeWalker {

    private TreeWalker() {}

    /** Calls {@code visitor} for the root directory (path {@code ""}) and every entry under it. */
    public static void walk(Path root, Consumer<TreeEntry> visitor) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new ScalezException("Cannot back up tree " + root + ": not a directory");
        }
        visit(root, "", visitor);
    }

    /** Calls {@code visitor} for {@code file} (any type) as entry {@code name} and, for a directory, all under it. */
    public static void walkAs(Path file, String name, Consumer<TreeEntry> visitor) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ScalezException("Cannot back up " + file + ": it does not exist");
        }
        visit(file, name, visitor);
    }

    private static void visit(Path file, String relative, Consumer<TreeEntry> visitor) {
        try {
            var attributes = FileAttributes.read(file);
            if (Files.isSymbolicLink(file)) {
                var target = Files.readSymbolicLink(file).toString();
                visitor.accept(new TreeEntry(relative, file, EntryType.SYMLINK, 0, attributes, target));
            } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                visitor.accept(new TreeEntry(relative, file, EntryType.DIRECTORY, 0, attributes, null));
                List<Path> children = new ArrayList<>();
                try (var stream = Files.newDirectoryStream(file)) {
                    stream.forEach(children::add);
                }
                children.sort((x, y) ->
                        x.getFileName().toString().compareTo(y.getFileName().toString()));
                for (var child : children) {
                    var name = child.getFileName().toString();
                    visit(child, relative.isEmpty() ? name : relative + "/" + name, visitor);
                }
            } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                visitor.accept(new TreeEntry(relative, file, EntryType.FILE, Files.size(file), attributes, null));
            }
        } catch (IOException e) {
            throw new ScalezException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
