package io.cloudconnector.filesystems;

import io.cloudconnector.common.testing.RequiredTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Real disk images for tests, built with Debian's tools and never mounted: {@code mke2fs -d} from a
 * directory, {@code mkntfs} plus {@code ntfscp}, {@code mkfs.xfs -p} from a protofile, {@code sfdisk}/
 * {@code sgdisk} partition tables, and The Sleuth Kit ({@code fls}, {@code icat}) and {@code xfs_db} as
 * independent readers to compare against.
 */
public final class DiskImages {

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(120);

    private DiskImages() {}

    /** An ext4 image of {@code size} (e.g. {@code 64M}) holding the tree under {@code source}. */
    public static Path ext4(Path source, Path image, String size, String... options) {
        var command = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-t", "ext4"));
        command.addAll(List.of(options));
        command.addAll(List.of("-d", source.toString(), image.toString(), size));
        run(command);
        return image;
    }

    /** An NTFS image of {@code bytes} holding {@code files} (name in the root → local file). */
    public static Path ntfs(Path image, long bytes, Map<String, Path> files) {
        sparse(image, bytes);
        run(List.of("mkntfs", "-q", "-F", "-f", "-L", "test", image.toString()));
        files.forEach((name, local) -> run(List.of("ntfscp", "-f", image.toString(), local.toString(), name)));
        return image;
    }

    /**
     * An XFS image of {@code size} (e.g. {@code 96M}) holding the tree under {@code source}: mkfs.xfs 6.1 fills
     * a file system from a protofile (see {@link #protofile}), not from a directory. mkfs.xfs refuses file
     * systems under 300 MB unless it runs under xfstests, which it recognises by three environment variables;
     * they allow the small images these tests need and change nothing else.
     */
    public static Path xfs(Path source, Path image, String size, String... options) {
        var proto = image.resolveSibling(image.getFileName() + ".proto");
        try {
            Files.writeString(proto, protofile(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var command = new ArrayList<>(List.of(
                "env",
                "TEST_DIR=/tmp",
                "TEST_DEV=/dev/null",
                "QA_CHECK_FS=xfs",
                "mkfs.xfs",
                "-q",
                "-f",
                "-d",
                "file,name=" + image + ",size=" + size));
        command.addAll(List.of(options));
        command.addAll(List.of("-p", proto.toString()));
        RequiredTools.path("mkfs.xfs");
        run(command);
        return image;
    }

    /**
     * The mkfs.xfs protofile describing the tree under {@code root}: a boot-image line and block/inode counts,
     * then per entry its name, mode ({@code -} file, {@code d} directory, {@code l} symlink; no set-id bits;
     * octal permissions), uid, gid and the file to copy or the link's target; a directory's entries end with
     * {@code $}. Names are whitespace-separated tokens, so names with blanks cannot be described.
     */
    public static String protofile(Path root) {
        var out = new StringBuilder("/dev/null\n0 0\nd--755 0 0\n");
        describe(root, out);
        return out.append("$\n").toString();
    }

    private static void describe(Path dir, StringBuilder out) {
        List<Path> children;
        try (var list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (var child : children) {
            String name = child.getFileName().toString();
            if (name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a protofile cannot name '" + name + "'");
            }
            try {
                if (Files.isSymbolicLink(child)) {
                    out.append(name)
                            .append(" l--777 0 0 ")
                            .append(Files.readSymbolicLink(child))
                            .append('\n');
                } else if (Files.isDirectory(child)) {
                    out.append(name).append(" d--755 0 0\n");
                    describe(child, out);
                    out.append("$\n");
                } else {
                    out.append(name)
                            .append(" ---644 0 0 ")
                            .append(child.toAbsolutePath())
                            .append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What {@code xfs_db} lists in an XFS image: path → inode number and type ({@code regular}, {@code symlink}...). */
    public static Map<String, XfsEntry> xfsEntries(Path image) {
        var entries = new java.util.TreeMap<String, XfsEntry>();
        var pattern = java.util.regex.Pattern.compile(
                "^\\d+\\s+(\\d+)\\s+(\\S+)\\s+0x\\p{XDigit}+\\s+\\d+ (.*) \\((good|bad)\\)$");
        List<String> level = List.of("");
        while (!level.isEmpty()) {
            var command = new ArrayList<>(List.of("xfs_db", "-r"));
            for (var dir : level) {
                command.addAll(List.of("-c", "ls /" + dir));
            }
            command.add(image.toString());
            var found = new java.util.LinkedHashMap<String, XfsEntry>();
            String current = null;
            for (var line : run(command).split("\n")) {
                if (line.startsWith("/") && line.endsWith(":")) {
                    current = line.substring(1, line.length() - 1);
                    continue;
                }
                var m = pattern.matcher(line);
                if (!m.matches()
                        || current == null
                        || m.group(3).equals(".")
                        || m.group(3).equals("..")) {
                    continue;
                }
                String path = current.isEmpty() ? m.group(3) : current + "/" + m.group(3);
                found.put(path, new XfsEntry(Long.parseLong(m.group(1)), m.group(2)));
            }
            typesFromModes(image, found);
            entries.putAll(found);
            level = found.entrySet().stream()
                    .filter(e -> e.getValue().type().equals("directory"))
                    .map(Map.Entry::getKey)
                    .toList();
        }
        return entries;
    }

    /** Without file types in directory entries {@code ls} says {@code unknown}: ask each inode for its mode. */
    private static void typesFromModes(Path image, Map<String, XfsEntry> found) {
        var unknown = found.entrySet().stream()
                .filter(e -> e.getValue().type().equals("unknown"))
                .map(Map.Entry::getKey)
                .toList();
        if (unknown.isEmpty()) {
            return;
        }
        try {
            var script = Files.createTempFile(image.getParent(), "modes", ".xfsdb");
            var commands = new StringBuilder();
            unknown.forEach(
                    p -> commands.append("inode ").append(found.get(p).inode()).append("\nprint core.mode\n"));
            Files.writeString(script, commands);
            var modes = run(List.of("xfs_db", "-r", "-c", "source " + script, image.toString()))
                    .lines()
                    .filter(l -> l.startsWith("core.mode = "))
                    .toList();
            Files.delete(script);
            if (modes.size() != unknown.size()) {
                throw new IllegalStateException(
                        "xfs_db printed " + modes.size() + " modes for " + unknown.size() + " inodes");
            }
            for (int i = 0; i < unknown.size(); i++) {
                int mode = Integer.parseInt(modes.get(i).substring("core.mode = ".length()), 8) & 0170000;
                String type = switch (mode) {
                    case 0040000 -> "directory";
                    case 0100000 -> "regular";
                    case 0120000 -> "symlink";
                    default -> "other";
                };
                found.put(unknown.get(i), new XfsEntry(found.get(unknown.get(i)).inode(), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An entry {@code xfs_db ls} shows. */
    public record XfsEntry(long inode, String type) {}

    /** {@code xfs_db} commands run on an image ({@code -x} when {@code write}), output returned. */
    public static String xfsDb(Path image, boolean write, String... commands) {
        var command = new ArrayList<>(List.of("xfs_db", write ? "-x" : "-r"));
        for (var c : commands) {
            command.addAll(List.of("-c", c));
        }
        command.add(image.toString());
        return run(command);
    }

    /** A sparse file of {@code bytes}. */
    public static void sparse(Path file, long bytes) {
        try (var channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.truncate(0);
            channel.position(bytes - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code sfdiskScript} as the partition table of {@code disk} (MBR with {@code label: dos}, GPT with {@code label: gpt}). */
    public static void partition(Path disk, String sfdiskScript) {
        run(List.of("sfdisk", "--quiet", disk.toString()), sfdiskScript);
    }

    /** Copies {@code volume} into {@code disk} at byte {@code offset}. */
    public static void place(Path volume, Path disk, long offset) {
        try (var in = FileChannel.open(volume);
                var out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, out.position(offset + done));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites {@code bytes} of {@code file} at {@code offset}. */
    public static void overwrite(Path file, long offset, byte[] bytes) {
        try (var out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(bytes), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files The Sleuth Kit lists in the file system at {@code sectorOffset}: path → metadata address. */
    public static Map<String, String> tskFiles(Path image, long sectorOffset) {
        return tskFiles(image, sectorOffset, TIMEOUT);
    }

    /** {@link #tskFiles(Path, long)} with a timeout of its own (large images). */
    public static Map<String, String> tskFiles(Path image, long sectorOffset, java.time.Duration timeout) {
        var out = run(List.of("fls", "-r", "-p", "-F", "-o", Long.toString(sectorOffset), image.toString()), timeout);
        var files = new java.util.TreeMap<String, String>();
        for (var line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0 || !line.startsWith("r/r")) {
                continue;
            }
            String address =
                    line.substring(4, tab).replace(":", "").replace("*", "").trim();
            files.put(line.substring(tab + 1), address);
        }
        return files;
    }

    /** The content The Sleuth Kit reads for a metadata address. */
    public static byte[] tskContent(Path image, long sectorOffset, String address) {
        return runBytes(List.of("icat", "-o", Long.toString(sectorOffset), image.toString(), address));
    }

    /** A local image file as a {@link ByteSource}. */
    public static ByteSource source(Path image) {
        try {
            var channel = FileChannel.open(image);
            long size = channel.size();
            return new ByteSource() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public int read(long position, byte[] buffer, int offset, int length) {
                    if (position >= size) {
                        return -1;
                    }
                    try {
                        return channel.read(
                                java.nio.ByteBuffer.wrap(buffer, offset, (int) Math.min(length, size - position)),
                                position);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String run(List<String> command) {
        return run(command, (String) null);
    }

    /** Runs {@code command} with a timeout of its own (large images); returns its output. */
    public static String run(List<String> command, java.time.Duration timeout) {
        RequiredTools.path(command.getFirst());
        return new String(check(command, null, timeout), StandardCharsets.UTF_8);
    }

    static String run(List<String> command, String stdin) {
        return new String(exec(command, stdin), StandardCharsets.UTF_8);
    }

    private static byte[] runBytes(List<String> command) {
        return exec(command, null);
    }

    private static byte[] exec(List<String> command, String stdin) {
        RequiredTools.path(command.getFirst());
        return check(command, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    /** Writes a file under {@code root} (parents created). */
    public static Path write(Path root, String relative, byte[] content) {
        try {
            var file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} (killed with its children after {@code timeout}); fails unless it exits 0. */
    private static byte[] check(List<String> command, byte @Nullable [] stdin, java.time.Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.getFirst(), e);
        }
        var out = drain(process.getInputStream());
        var err = drain(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // The program closed its input early; its exit code says whether that mattered.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(command.getFirst() + " did not finish within " + timeout);
            }
            var stdout = out.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            var stderr = new String(
                    err.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        command.getFirst() + " exited " + process.exitValue() + ": " + stderr.strip());
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command.getFirst() + " was interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot read the output of " + command.getFirst(), e);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static java.util.concurrent.CompletableFuture<byte[]> drain(java.io.InputStream stream) {
        var result = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(stream.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }
}
