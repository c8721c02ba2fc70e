package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsing an ext4 image made by {@code mke2fs -d} from a real directory tree: every directory's listing (names,
 * types, sizes, modes, owners, mtimes, link targets) and every file's content equal what the tree holds.
 */
class ExtBrowseIT {

    @TempDir
    static Path dir;

    static Path tree;
    static Browsable fs;

    @BeforeAll
    static void image() throws Exception {
        tree = Files.createDirectories(dir.resolve("tree"));
        var random = new Random(7);
        DiskImages.write(tree, "etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        var big = new byte[5 * 1024 * 1024 + 17];
        random.nextBytes(big);
        DiskImages.write(tree, "var/lib/big.bin", big);
        DiskImages.write(tree, "home/anna/Grüße.txt", "hallo".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "home/anna/empty", new byte[0]);
        for (int i = 0; i < 300; i++) {
            DiskImages.write(tree, "srv/many/f-" + i, ("n" + i).getBytes(StandardCharsets.UTF_8));
        }
        Files.createSymbolicLink(tree.resolve("home/anna/short"), Path.of("Grüße.txt"));
        Files.createSymbolicLink(tree.resolve("home/anna/long"), Path.of("../../" + "x".repeat(100) + "/target"));
        Files.createDirectories(tree.resolve("srv/empty-dir"));
        DiskImages.run(List.of("mkfifo", tree.resolve("srv/pipe").toString()));
        Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:uid", 70001);
        Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:gid", 1234);
        Files.setAttribute(tree.resolve("etc/hostname"), "unix:mode", 0640);
        Files.setAttribute(tree.resolve("var/lib/big.bin"), "unix:mode", 04755);
        Files.setLastModifiedTime(tree.resolve("etc/hostname"), FileTime.fromMillis(1_500_000_000_123L));
        var image = DiskImages.ext4(tree, dir.resolve("browse.img"), "64M");
        fs = (Browsable) FileSystems.open(DiskImages.source(image));
    }

    @Test
    void everyDirectoryListsWhatTheTreeHolds() throws Exception {
        int[] compared = {0};
        try (Stream<Path> paths = Files.walk(tree)) {
            for (var path : paths.filter(Files::isDirectory).toList()) {
                String at = "/" + tree.relativize(path).toString();
                var node = fs.resolve(at).orElseThrow();
                assertThat(node.type()).isEqualTo(Node.Type.DIR);
                Map<String, Node> listed = new TreeMap<>();
                fs.list(node).forEach(n -> listed.put(n.name(), n));
                if (at.equals("/")) {
                    // mke2fs makes lost+found in every root; the tree has none.
                    assertThat(listed.remove("lost+found"))
                            .extracting(Node::type)
                            .isEqualTo(Node.Type.DIR);
                }
                List<String> expected;
                try (var children = Files.list(path)) {
                    expected = children.map(p -> p.getFileName().toString())
                            .sorted()
                            .toList();
                }
                assertThat(listed.keySet()).as(at).containsExactlyElementsOf(expected);
                for (var child : listed.values()) {
                    compare(path.resolve(child.name()), child);
                    compared[0]++;
                }
            }
        }
        assertThat(compared[0]).isGreaterThan(310);
    }

    private static void compare(Path source, Node node) throws Exception {
        var attributes = Files.readAttributes(source, "unix:*", LinkOption.NOFOLLOW_LINKS);
        String relative = "/" + tree.relativize(source);
        assertThat(node.path()).isEqualTo(relative);
        assertThat(node.mode()).as(relative).isEqualTo((int) attributes.get("mode") & 07777);
        assertThat(node.uid()).as(relative).isEqualTo(((Number) attributes.get("uid")).longValue());
        assertThat(node.gid()).as(relative).isEqualTo(((Number) attributes.get("gid")).longValue());
        var modified = (FileTime) attributes.get("lastModifiedTime");
        assertThat(node.modifiedSeconds())
                .as(relative)
                .isEqualTo(modified.toInstant().getEpochSecond());
        if (Files.isSymbolicLink(source)) {
            assertThat(node.type()).isEqualTo(Node.Type.SYMLINK);
            assertThat(node.target()).isEqualTo(Files.readSymbolicLink(source).toString());
        } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(node.type()).isEqualTo(Node.Type.FILE);
            assertThat(node.size()).isEqualTo(Files.size(source));
            assertThat(FileSystems.sha256(fs.content(node)))
                    .as(relative)
                    .isEqualTo(FileSystems.sha256(Files.readAllBytes(source)));
        } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(node.type()).isEqualTo(Node.Type.DIR);
        } else {
            assertThat(node.type()).as(relative).isEqualTo(Node.Type.OTHER);
        }
    }

    @Test
    void ownersModesAndTimesAreTheSources() {
        var hostname = fs.resolve("/etc/hostname").orElseThrow();
        assertThat(hostname.mode()).isEqualTo(0640);
        assertThat(hostname.modifiedSeconds()).isEqualTo(1_500_000_000L);
        var greeting = fs.resolve("/home/anna/Grüße.txt").orElseThrow();
        assertThat(greeting.uid()).isEqualTo(70001);
        assertThat(greeting.gid()).isEqualTo(1234);
        assertThat(fs.resolve("/var/lib/big.bin").orElseThrow().mode()).isEqualTo(04755);
        assertThat(fs.resolve("/").orElseThrow().path()).isEqualTo("/");
    }

    @Test
    void pathsThatAreNotThereOrGoThroughAFileResolveToNothing() {
        assertThat(fs.resolve("/nope")).isEmpty();
        assertThat(fs.resolve("/etc/hostname/more")).isEmpty();
        assertThat(fs.resolve("/home/anna/short/x")).isEmpty();
        assertThat(fs.resolve("//etc///hostname/")).isPresent();
        var file = fs.resolve("/etc/hostname").orElseThrow();
        assertThatThrownBy(() -> fs.list(file)).isInstanceOf(CorruptFileSystemException.class);
    }
}
