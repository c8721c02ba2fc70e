package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsing an NTFS image filled through ntfs-3g from a real directory tree ({@code cp -a} into the mounted image):
 * every directory's listing, read from its $I30 index (the 300-entry one through index blocks), and every file, link
 * target and modification time equal the tree. NTFS keeps no POSIX owners or modes: they are 0 and 0644/0755.
 */
class NtfsBrowseIT {

    @TempDir
    static Path dir;

    static Path tree;
    static Browsable fs;

    @BeforeAll
    static void image() throws Exception {
        tree = BrowsedTrees.sample(dir.resolve("tree"));
        var image = dir.resolve("ntfs.img");
        DiskImages.sparse(image, 64L << 20);
        DiskImages.run(List.of("mkntfs", "-q", "-F", "-f", "-L", "test", image.toString()));
        var mount = Files.createDirectories(dir.resolve("mnt"));
        DiskImages.run(List.of(RequiredTools.path("ntfs-3g"), image.toString(), mount.toString()));
        try {
            try (var children = Files.list(tree)) {
                for (var child : children.toList()) {
                    DiskImages.run(List.of("cp", "-a", child.toString(), mount.toString()));
                }
            }
        } finally {
            DiskImages.run(List.of("umount", mount.toString()));
        }
        fs = (Browsable) FileSystems.open(DiskImages.source(image));
    }

    @Test
    void everyDirectoryListsWhatTheTreeHolds() {
        int compared = BrowsedTrees.compare(fs, tree, List.of("System Volume Information"), (source, node) -> {
            var unix = BrowsedTrees.unix(source);
            var modified = (java.nio.file.attribute.FileTime) unix.get("lastModifiedTime");
            assertThat(node.modifiedSeconds())
                    .as(node.path())
                    .isEqualTo(modified.toInstant().getEpochSecond());
            assertThat(node.modifiedNanos() / 100)
                    .as(node.path())
                    .isEqualTo(modified.toInstant().getNano() / 100);
            assertThat(node.uid()).isZero();
            assertThat(node.gid()).isZero();
            int expected = switch (node.type()) {
                case DIR -> 0755;
                case SYMLINK -> 0777;
                default -> 0644;
            };
            assertThat(node.mode()).as(node.path()).isEqualTo(expected);
        });
        assertThat(compared).isGreaterThan(310);
    }

    @Test
    void theRootHidesTheMetadataFilesAndPathsResolve() {
        var root = fs.resolve("/").orElseThrow();
        assertThat(root.path()).isEqualTo("/");
        assertThat(fs.list(root)).extracting(Node::name).noneMatch(n -> n.startsWith("$"));
        assertThat(fs.resolve("/etc/hostname").orElseThrow().modifiedSeconds()).isEqualTo(1_500_000_000L);
        assertThat(fs.resolve("/srv/many/f-299")).isPresent();
        assertThat(fs.resolve("/nope")).isEmpty();
        assertThat(fs.resolve("/etc/hostname/more")).isEmpty();
        var file = fs.resolve("/etc/hostname").orElseThrow();
        assertThatThrownBy(() -> fs.list(file)).isInstanceOf(CorruptFileSystemException.class);
    }
}
