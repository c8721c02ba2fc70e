package io.cloudconnector.scalez.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A blob store in a local directory: each key is a relative path under the root, written crash-safely.
 *
 * <p>A blob is written to a temporary file next to its final path, forced to disk, then published with one
 * atomic step (a hard link for {@link #putIfAbsent}, which fails if the blob exists, or a rename for
 * {@link #put}), and the directory is forced too. A process killed at any point therefore leaves either no
 * blob or the whole blob, plus at most a stray temporary file that is never listed.
 *
 * <p>Because keys are paths, a key cannot also be the directory of other keys ({@code a} and {@code a/b});
 * the repository layout never needs that. The file system must support hard links. I/O errors are
 * permanent {@link BlobStoreException}s: a local disk that fails once rarely recovers when tried again.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path root;

    /** Opens (creating if needed) the store rooted at the given directory. */
    public FileSystemBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new BlobStoreException("Cannot create blob store directory " + this.root + ": " + e, e);
        }
    }

    @Override
    public URI location() {
        return root.toUri();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return write(key, data, (temp, target) -> {
            try {
                // A hard link is the one POSIX primitive that publishes a complete file only if the name is free.
                Files.createLink(target, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        });
    }

    @Override
    public void put(String key, byte[] data) {
        write(key, data, (temp, target) -> {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        });
    }

    @Override
    public byte[] get(String key) {
        var path = pathOf(key);
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw notFoundIfDirectory(path, key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        BlobKeys.requireValidRange(offset, length);
        var path = pathOf(key);
        try (var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long available = Math.max(0, channel.size() - offset);
            var buffer = ByteBuffer.allocate((int) Math.min(length, available));
            while (buffer.hasRemaining()) {
                // Positional reads leave the channel position alone and stop early only at the end of the file.
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break;
                }
            }
            return buffer.position() == buffer.capacity()
                    ? buffer.array()
                    : Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw notFoundIfDirectory(path, key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        try {
            var attributes = Files.readAttributes(pathOf(key), BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new BlobInfo(
                            key,
                            attributes.size(),
                            attributes.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat blob %s in %s", key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        BlobKeys.requireValidPrefix(prefix);
        // Only the directory named by the prefix's complete segments can hold matching files.
        var start = root.resolve(prefix.substring(0, prefix.lastIndexOf('/') + 1));
        var found = new ArrayList<BlobInfo>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    var key = keyOf(file);
                    if (attributes.isRegularFile()
                            && key.startsWith(prefix)
                            && !file.getFileName().toString().startsWith(BlobKeys.TEMP_FILE_PREFIX)) {
                        found.add(new BlobInfo(
                                key,
                                attributes.size(),
                                attributes.lastModifiedTime().toInstant()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // A blob deleted while we walk (prune running concurrently) is simply not listed.
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list blobs %s in %s", prefix, e);
        }
        found.sort((a, b) -> BlobKeys.ORDER.compare(a.key(), b.key()));
        return List.copyOf(found);
    }

    @Override
    public void delete(String key) {
        var path = pathOf(key);
        if (Files.isDirectory(path)) {
            return; // a directory of other keys, not a blob; removing it would race with writers creating files in it
        }
        try {
            if (Files.deleteIfExists(path)) {
                forceDirectory(path.getParent());
            }
        } catch (IOException e) {
            throw failure("delete blob %s from %s", key, e);
        }
    }

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }

    /** Writes {@code data} to a forced temporary file, then lets {@code publish} give it the key's name. */
    private boolean write(String key, byte[] data, Publish publish) {
        var target = pathOf(key);
        try {
            var temp = writeTemp(target, data);
            boolean published;
            try {
                published = publish.from(temp, target);
            } finally {
                Files.deleteIfExists(temp); // still there after a link or a failure, gone after a move
            }
            if (published) {
                forceDirectory(target.getParent());
            }
            return published;
        } catch (IOException e) {
            throw failure("write blob %s to %s", key, e);
        }
    }

    private Path pathOf(String key) {
        return root.resolve(BlobKeys.requireValid(key));
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static Path writeTemp(Path target, byte[] data) throws IOException {
        var directory = java.util.Objects.requireNonNull(target.getParent()); // a key's path is below the root
        createDirectories(directory);
        var temp = Files.createTempFile(directory, BlobKeys.TEMP_FILE_PREFIX, "");
        try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            var buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** Creates missing parent directories and forces each new entry, so a published blob's path survives a crash. */
    private static void createDirectories(@org.jspecify.annotations.Nullable Path directory) throws IOException {
        if (directory == null || Files.isDirectory(directory)) {
            return;
        }
        createDirectories(directory.getParent());
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            // Created by a concurrent writer that may not have forced it yet: force it here too.
        }
        forceDirectory(directory.getParent());
    }

    private static void forceDirectory(@org.jspecify.annotations.Nullable Path directory) throws IOException {
        if (directory == null) {
            return; // the file system's root: nothing above it to force
        }
        try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private BlobStoreException notFoundIfDirectory(Path path, String key, IOException e) {
        // A key that names a directory of other keys ("packs" while "packs/ab" exists) holds no blob.
        return Files.isDirectory(path) ? new BlobNotFoundException(key) : failure("read blob %s from %s", key, e);
    }

    private BlobStoreException failure(String action, String key, IOException e) {
        return new BlobStoreException("Cannot " + action.formatted(key, root) + ": " + e, e);
    }

    @FunctionalInterface
    private interface Publish {

        /** Gives the complete temporary file the blob's name; false if the name was taken and must stay so. */
        boolean from(Path temp, Path target) throws IOException;
    }
}
