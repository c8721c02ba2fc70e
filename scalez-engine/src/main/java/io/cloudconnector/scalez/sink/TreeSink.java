package io.cloudconnector.scalez.sink;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.source.FileAttributes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * Recreates a directory tree under a target directory: directories, files and symlinks with their mode,
 * owner and times. Owners are set only when the process may (as root); otherwise files keep the
 * restoring user, as tar does. Paths that would escape the target are refused.
 */
public final class TreeSink {

    private final Path root;
    private final boolean setOwners;

    public TreeSink(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.setOwners = "root".equals(System.getProperty("user.name"));
    }

    /** The target path of an entry, refusing any that would land outside the target directory. */
    public Path resolve(String relative) {
        if (relative.isEmpty()) {
            return root;
        }
        var path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root) || relative.startsWith("/")) {
            throw new ScalezException("Refusing to restore entry " + relative + ": it points outside " + root);
        }
        return path;
    }

    /** Creates a directory (the root may exist already). Attributes come later, in {@link #finishDirectory}. */
    public void createDirectory(String relative) {
        try {
            Files.createDirectories(resolve(relative));
        } catch (IOException e) {
            throw new ScalezException("Cannot create directory " + resolve(relative) + ": " + e.getMessage(), e);
        }
    }

    /** Opens a new file for writing its content. */
    public OutputStream createFile(String relative) {
        var path = resolve(relative);
        try {
            Files.deleteIfExists(path);
            return Files.newOutputStream(path);
        } catch (IOException e) {
            throw new ScalezException("Cannot create file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Sets a restored file's attributes after its content is written. */
    public void finishFile(String relative, FileAttributes attributes) {
        apply(resolve(relative), attributes);
    }

    /**
     * Sets a directory's attributes; call after all its children exist, since creating them changes its
     * modification time.
     */
    public void finishDirectory(String relative, FileAttributes attributes) {
        apply(resolve(relative), attributes);
    }

    /** Creates a symlink with its owner and times (a link's own mode cannot be set on Linux). */
    public void createSymlink(String relative, String target, FileAttributes attributes) {
        var path = resolve(relative);
        try {
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(target));
        } catch (FileAlreadyExistsException e) {
            throw new ScalezException("Cannot create symlink " + path + ": it exists", e);
        } catch (IOException e) {
            throw new ScalezException("Cannot create symlink " + path + ": " + e.getMessage(), e);
        }
        try {
            if (setOwners) {
                Files.setAttribute(path, "unix:uid", attributes.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", attributes.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            var view = Files.getFileAttributeView(
                    path, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            view.setTimes(time(attributes.modifiedNanos()), time(attributes.accessedNanos()), null);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ScalezException("Cannot set attributes of symlink " + path + ": " + e.getMessage(), e);
        }
    }

    private void apply(Path path, FileAttributes attributes) {
        try {
            if (setOwners) {
                Files.setAttribute(path, "unix:uid", attributes.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", attributes.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            // After chown, which clears setuid/setgid bits.
            Files.setAttribute(path, "unix:mode", attributes.mode(), LinkOption.NOFOLLOW_LINKS);
            Files.getFileAttributeView(
                            path, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(time(attributes.modifiedNanos()), time(attributes.accessedNanos()), null);
        } catch (IOException e) {
            throw new ScalezException("Cannot set attributes of " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileTime time(long nanos) {
        return FileTime.from(nanos, TimeUnit.NANOSECONDS);
    }
}
