package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A directory tree to build images from, and the comparison of a browsed file system with it: every directory's
 * names, every entry's type, size, link target and content, and (where the file system keeps them) owner, mode and
 * time as {@code extra} checks them.
 */
final class BrowsedTrees {

    private BrowsedTrees() {}

    /** A tree with a large file, a directory of 300 entries, non-ASCII names, links, an empty file and directory. */
    static Path sample(Path tree) {
        try {
            Files.createDirectories(tree);
            var random = new Random(7);
            DiskImages.write(tree, "etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
            var big = new byte[5 * 1024 * 1024 + 17];
            random.nextBytes(big);
            DiskImages.write(tree, "var/lib/big.bin", big);
            DiskImages.write(tree, "home/anna/Grüße.txt", "hallo".getBytes(StandardCharsets.UTF_8));
            DiskImages.write(tree, "home/anna/empty", new byte[0]);
            var medium = new byte[70_000];
            random.nextBytes(medium);
            DiskImages.write(tree, "home/anna/medium.bin", medium);
            for (int i = 0; i < 300; i++) {
                DiskImages.write(tree, "srv/many/f-" + i, ("n" + i).getBytes(StandardCharsets.UTF_8));
            }
            Files.createSymbolicLink(tree.resolve("home/anna/short"), Path.of("Grüße.txt"));
            Files.createSymbolicLink(tree.resolve("home/anna/long"), Path.of("../../" + "x".repeat(100) + "/target"));
            Files.createDirectories(tree.resolve("srv/empty-dir"));
            Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:uid", 70001);
            Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:gid", 1234);
            Files.setAttribute(tree.resolve("etc/hostname"), "unix:mode", 0640);
            Files.setAttribute(tree.resolve("var/lib/big.bin"), "unix:mode", 04755);
            Files.setLastModifiedTime(tree.resolve("etc/hostname"), FileTime.fromMillis(1_500_000_000_123L));
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lists every directory of {@code tree} in {@code fs} and compares each entry with its source; returns how many
     * entries were compared. {@code ignoredInRoot} are entries the file system adds ({@code lost+found}).
     */
    static int compare(Browsable fs, Path tree, List<String> ignoredInRoot, BiConsumer<Path, Node> extra) {
        int compared = 0;
        try (Stream<Path> paths = Files.walk(tree)) {
            for (var path : paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                String at = "/" + tree.relativize(path);
                var node = fs.resolve(at).orElseThrow(() -> new AssertionError(at + " not found"));
                assertThat(node.type()).as(at).isEqualTo(Node.Type.DIR);
                Map<String, Node> listed = new TreeMap<>();
                fs.list(node).forEach(n -> listed.put(n.name(), n));
                if (at.equals("/")) {
                    ignoredInRoot.forEach(listed::remove);
                }
                List<String> expected;
                try (var children = Files.list(path)) {
                    expected = children.map(p -> p.getFileName().toString())
                            .sorted()
                            .toList();
                }
                assertThat(listed.keySet()).as(at).containsExactlyElementsOf(expected);
                for (var child : listed.values()) {
                    compare(fs, tree, path.resolve(child.name()), child, extra);
                    compared++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compared;
    }

    private static void compare(Browsable fs, Path tree, Path source, Node node, BiConsumer<Path, Node> extra)
            throws IOException {
        String relative = "/" + tree.relativize(source);
        assertThat(node.path()).isEqualTo(relative);
        if (Files.isSymbolicLink(source)) {
            assertThat(node.type()).as(relative).isEqualTo(Node.Type.SYMLINK);
            String target = Files.readSymbolicLink(source).toString();
            assertThat(node.target()).as(relative).isEqualTo(target);
            assertThat(new String(fs.content(node).head(4096), StandardCharsets.UTF_8))
                    .as(relative)
                    .isEqualTo(target);
        } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(node.type()).as(relative).isEqualTo(Node.Type.FILE);
            assertThat(node.size()).as(relative).isEqualTo(Files.size(source));
            assertThat(FileSystems.sha256(fs.content(node)))
                    .as(relative)
                    .isEqualTo(FileSystems.sha256(Files.readAllBytes(source)));
        } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(node.type()).as(relative).isEqualTo(Node.Type.DIR);
        } else {
            assertThat(node.type()).as(relative).isEqualTo(Node.Type.OTHER);
        }
        extra.accept(source, node);
    }

    /** The source's POSIX attributes, links not followed. */
    static Map<String, Object> unix(Path source) {
        try {
            return Files.readAttributes(source, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
