package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsing XFS images (version 5 and version 4) made by {@code mkfs.xfs -p} from a real directory tree: every
 * directory's listing and every file equal the tree, with its modes and owners (a protofile carries them; mkfs.xfs sets
 * every time to when it ran, so times are checked against that).
 */
class XfsBrowseIT {

    @TempDir
    static Path dir;

    static Path tree;
    static Instant before;
    static Instant after;

    @BeforeAll
    static void tree() throws Exception {
        tree = BrowsedTrees.sample(dir.resolve("tree"));
        DiskImages.run(List.of("mkfifo", tree.resolve("srv/pipe").toString()));
    }

    private static Browsable image(String name, String... options) throws IOException {
        var proto = dir.resolve(name + ".proto");
        Files.writeString(proto, protofile(tree));
        before = Instant.now().minusSeconds(1);
        var image = dir.resolve(name);
        var command = new java.util.ArrayList<>(List.of(
                "env",
                "TEST_DIR=/tmp",
                "TEST_DEV=/dev/null",
                "QA_CHECK_FS=xfs",
                "mkfs.xfs",
                "-q",
                "-f",
                "-d",
                "file,name=" + image + ",size=96m"));
        command.addAll(List.of(options));
        command.addAll(List.of("-p", proto.toString()));
        DiskImages.run(command);
        after = Instant.now().plusSeconds(1);
        return (Browsable) FileSystems.open(DiskImages.source(image));
    }

    @Test
    void everyDirectoryOfAVersion5FileSystemListsWhatTheTreeHolds() throws Exception {
        var fs = image("v5.img");
        assertThat(BrowsedTrees.compare(fs, tree, List.of(), XfsBrowseIT::ownersModesAndTimes))
                .isGreaterThan(310);
        var hostname = fs.resolve("/etc/hostname").orElseThrow();
        assertThat(hostname.mode()).isEqualTo(0640);
        assertThat(fs.resolve("/home/anna/Grüße.txt").orElseThrow().uid()).isEqualTo(70001);
        assertThat(fs.resolve("/var/lib/big.bin").orElseThrow().mode()).isEqualTo(04755);
        assertThat(fs.resolve("/srv/pipe").orElseThrow().type()).isEqualTo(Node.Type.OTHER);
        assertThat(fs.resolve("/").orElseThrow().path()).isEqualTo("/");
        assertThat(fs.resolve("/etc/hostname/more")).isEmpty();
        assertThat(fs.resolve("/nope")).isEmpty();
        assertThatThrownBy(() -> fs.list(hostname)).isInstanceOf(CorruptFileSystemException.class);
    }

    @Test
    void aVersion4FileSystemToo() throws Exception {
        var fs = image("v4.img", "-m", "crc=0,finobt=0,rmapbt=0,reflink=0");
        assertThat(BrowsedTrees.compare(fs, tree, List.of(), XfsBrowseIT::ownersModesAndTimes))
                .isGreaterThan(310);
    }

    private static void ownersModesAndTimes(Path source, Node node) {
        var unix = BrowsedTrees.unix(source);
        if (node.type() != Node.Type.SYMLINK) {
            assertThat(node.mode()).as(node.path()).isEqualTo((int) unix.get("mode") & 07777);
        }
        assertThat(node.uid()).as(node.path()).isEqualTo(((Number) unix.get("uid")).longValue());
        assertThat(node.gid()).as(node.path()).isEqualTo(((Number) unix.get("gid")).longValue());
        var modified = Instant.ofEpochSecond(node.modifiedSeconds(), node.modifiedNanos());
        assertThat(modified).as(node.path()).isBetween(before, after);
    }

    /**
     * A protofile with each entry's own type, set-id bits, permissions, owner and group (the test-jar's protofile
     * gives every entry 0644/0755 and root).
     */
    static String protofile(Path root) {
        var out = new StringBuilder("/dev/null\n0 0\nd--755 0 0\n");
        describe(root, out);
        return out.append("$\n").toString();
    }

    private static void describe(Path directory, StringBuilder out) {
        try (var list = Files.list(directory)) {
            for (var child : list.sorted().toList()) {
                var unix = BrowsedTrees.unix(child);
                int mode = (int) unix.get("mode");
                String owners = " " + unix.get("uid") + " " + unix.get("gid");
                String bits = ((mode & 04000) != 0 ? "u" : "-")
                        + ((mode & 02000) != 0 ? "g" : "-")
                        + String.format("%03o", mode & 0777);
                String name = child.getFileName().toString();
                if (Files.isSymbolicLink(child)) {
                    out.append(name).append(" l").append(bits).append(owners).append(' ');
                    out.append(Files.readSymbolicLink(child)).append('\n');
                } else if (Files.isDirectory(child)) {
                    out.append(name).append(" d").append(bits).append(owners).append('\n');
                    describe(child, out);
                    out.append("$\n");
                } else if (Files.isRegularFile(child)) {
                    out.append(name).append(" -").append(bits).append(owners).append(' ');
                    out.append(child.toAbsolutePath()).append('\n');
                } else {
                    out.append(name).append(" p").append(bits).append(owners).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
