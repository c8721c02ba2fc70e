package io.cloudconnector.integrity.scan.fs;

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
import io.cloudconnector.common.testing.RequiredTools;
import io.cloudconnector.integrity.scan.detect.Processes;

/**
 * Real disk images for tests, built with Debian's tools and never mounted: {@code mke2fs -d} from a
 * directory, {@code mkntfs} plus {@code ntfscp}, {@code sfdisk}/{@code sgdisk} partition tables, and The
 * Sleuth Kit ({@code fls}, {@code icat}) as an independent reader to compare against.
 */
public final class DiskImages {

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(120);

    private DiskImages() {
    }

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

    /** A sparse file of {@code bytes}. */
    public static void sparse(Path file, long bytes) {
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
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
        try (var in = FileChannel.open(volume); var out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
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
            String address = line.substring(4, tab).replace(":", "").replace("*", "").trim();
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
                        return channel.read(java.nio.ByteBuffer.wrap(buffer, offset, (int) Math.min(length, size - position)),
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
        return new String(Processes.check(command, null, timeout), StandardCharsets.UTF_8);
    }

    static String run(List<String> command, String stdin) {
        return new String(exec(command, stdin), StandardCharsets.UTF_8);
    }

    private static byte[] runBytes(List<String> command) {
        return exec(command, null);
    }

    private static byte[] exec(List<String> command, String stdin) {
        RequiredTools.path(command.getFirst());
        return Processes.check(command, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), TIMEOUT);
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
}
