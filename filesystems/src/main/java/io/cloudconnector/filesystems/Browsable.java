package io.cloudconnector.filesystems;

import java.util.List;
import java.util.Optional;

/**
 * A file system that can be browsed: its directories listed with their entries' owners, modes and times, and any
 * regular file read. Thread-safe once opened; every call reads only the metadata and data blocks it needs.
 */
public interface Browsable {

    /** The root directory. */
    Node root();

    /**
     * The entries of {@code directory} (without {@code .} and {@code ..}), in the order the directory keeps them.
     *
     * @throws CorruptFileSystemException if it is not a directory or cannot be read
     */
    List<Node> list(Node directory);

    /**
     * The content of a regular file (or the target bytes of a symbolic link).
     *
     * @throws CorruptFileSystemException if it cannot be read
     */
    FileData content(Node node);

    /**
     * The node at {@code path}: absolute, components separated by {@code /} (empty ones and a trailing slash ignored),
     * no {@code .} or {@code ..}. Symbolic links are not followed; a component that is not a directory ends the search.
     */
    default Optional<Node> resolve(String path) {
        var node = root();
        for (var component : path.split("/", -1)) {
            if (component.isEmpty()) {
                continue;
            }
            if (!node.directory()) {
                return Optional.empty();
            }
            Node next = null;
            for (var child : list(node)) {
                if (child.name().equals(component)) {
                    next = child;
                    break;
                }
            }
            if (next == null) {
                return Optional.empty();
            }
            node = next;
        }
        return Optional.of(node);
    }
}
