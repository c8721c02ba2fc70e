package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.filesystems.Browsable;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.FileData;
import io.cloudconnector.filesystems.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing a file's bytes and a directory's subtree as tar. A file is read in segments of 4 MiB with a few segments
 * read ahead in parallel (each through its own pooled engine reader, so chunk fetches overlap), and written in order.
 */
final class FileStreams {

    private static final Logger log = LoggerFactory.getLogger(FileStreams.class);
    static final int SEGMENT = 4 << 20;
    private static final int MAX_DEPTH = 256;

    private FileStreams() {}

    /** Writes {@code length} bytes of {@code data} from {@code from}, reading up to {@code ahead} segments ahead. */
    static void copy(FileData data, long from, long length, int ahead, OutputStream out) throws IOException {
        if (length <= SEGMENT || ahead <= 1) {
            var buffer = new byte[(int) Math.min(SEGMENT, Math.max(length, 1))];
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(buffer.length, length - done);
                readFully(data, from + done, buffer, n);
                out.write(buffer, 0, n);
                done += n;
            }
            return;
        }
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            var pending = new ArrayDeque<CompletableFuture<byte[]>>();
            long next = 0;
            try {
                while (next < length || !pending.isEmpty()) {
                    while (next < length && pending.size() < ahead) {
                        long at = from + next;
                        int n = (int) Math.min(SEGMENT, length - next);
                        pending.add(CompletableFuture.supplyAsync(
                                () -> {
                                    var segment = new byte[n];
                                    readFully(data, at, segment, n);
                                    return segment;
                                },
                                readers));
                        next += n;
                    }
                    byte[] segment;
                    try {
                        segment = pending.removeFirst().join();
                    } catch (CompletionException e) {
                        if (e.getCause() instanceof RuntimeException cause) {
                            throw cause;
                        }
                        throw e;
                    }
                    out.write(segment);
                }
            } finally {
                pending.forEach(f -> f.cancel(true));
            }
        }
    }

    static void readFully(FileData data, long at, byte[] buffer, int n) {
        int done = 0;
        while (done < n) {
            int r = data.read(at + done, buffer, done, n - done);
            if (r <= 0) {
                throw new CorruptFileSystemException("file ended early at byte " + (at + done));
            }
            done += r;
        }
    }

    /**
     * Writes the subtree of {@code directory} as a POSIX tar (long names, big ids and sizes as PAX headers): its
     * directories, regular files and symbolic links with their modes, owners and modification times, under the
     * directory's own name ({@code anna/notes.txt}; the root's entries without a prefix). Devices, fifos and sockets
     * are left out, and so are directories and files whose metadata cannot be read (logged).
     */
    static void tar(Browsable fs, Node directory, int ahead, OutputStream out) throws IOException {
        var tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        record Pending(Node node, String name, int depth) {}
        Set<Long> seen = new HashSet<>();
        var stack = new ArrayDeque<Pending>();
        stack.push(new Pending(directory, directory.path().equals("/") ? "" : directory.name(), 0));
        while (!stack.isEmpty()) {
            var dir = stack.pop();
            if (!seen.add(dir.node().reference()) || dir.depth() > MAX_DEPTH) {
                continue;
            }
            if (!dir.name().isEmpty()) {
                var entry = new TarArchiveEntry(dir.name() + "/", TarConstants.LF_DIR);
                describe(entry, dir.node(), 0040000);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            java.util.List<Node> children;
            try {
                children = new java.util.ArrayList<>(fs.list(dir.node()));
            } catch (CorruptFileSystemException e) {
                log.warn("Left {} out of a tar: {}", dir.node().path(), e.getMessage());
                continue;
            }
            children.sort(Comparator.comparing(Node::name));
            String prefix = dir.name().isEmpty() ? "" : dir.name() + "/";
            // Directories are pushed in reverse so they come out in name order, after this directory's files.
            for (int i = children.size() - 1; i >= 0; i--) {
                var child = children.get(i);
                if (child.directory()) {
                    stack.push(new Pending(child, prefix + child.name(), dir.depth() + 1));
                }
            }
            for (var child : children) {
                switch (child.type()) {
                    case FILE -> file(fs, child, prefix + child.name(), ahead, tar);
                    case SYMLINK -> {
                        if (child.target() != null) {
                            var entry = new TarArchiveEntry(prefix + child.name(), TarConstants.LF_SYMLINK);
                            describe(entry, child, 0120000);
                            entry.setLinkName(child.target());
                            tar.putArchiveEntry(entry);
                            tar.closeArchiveEntry();
                        }
                    }
                    default -> {
                        // Directories were queued above; devices, fifos and sockets hold no data to restore.
                    }
                }
            }
        }
        tar.finish();
        tar.flush();
    }

    private static void file(Browsable fs, Node node, String name, int ahead, TarArchiveOutputStream tar)
            throws IOException {
        FileData data;
        try {
            data = fs.content(node);
        } catch (CorruptFileSystemException e) {
            log.warn("Left {} out of a tar: {}", node.path(), e.getMessage());
            return;
        }
        var entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        describe(entry, node, 0100000);
        entry.setSize(data.size());
        tar.putArchiveEntry(entry);
        copy(data, 0, data.size(), ahead, tar);
        tar.closeArchiveEntry();
    }

    private static void describe(TarArchiveEntry entry, Node node, int type) {
        entry.setMode(type | node.mode());
        entry.setUserId(node.uid());
        entry.setGroupId(node.gid());
        entry.setModTime(FileTime.from(Instant.ofEpochSecond(node.modifiedSeconds(), node.modifiedNanos())));
    }
}
