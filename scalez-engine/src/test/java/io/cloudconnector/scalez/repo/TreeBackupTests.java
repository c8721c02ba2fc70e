package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.TreeNode;
import io.cloudconnector.scalez.source.EntryType;
import io.cloudconnector.scalez.source.FileAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeBackupTests {

    @TempDir
    Path dir;

    private Path tree() throws IOException {
        var root = Files.createDirectories(dir.resolve("src"));
        Files.write(root.resolve("big.txt"), TestRepositories.text(1, 300_000));
        Files.write(root.resolve("copy.txt"), TestRepositories.text(1, 300_000));
        Files.write(root.resolve("empty"), new byte[0]);
        var sub = Files.createDirectories(root.resolve("sub/deeper"));
        Files.write(sub.resolve("random.bin"), TestRepositories.random(2, 100_000));
        Files.createSymbolicLink(root.resolve("sub/link"), Path.of("../big.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
        Files.setAttribute(root.resolve("big.txt"), "unix:mode", 0640);
        Files.setAttribute(root.resolve("sub/deeper"), "unix:mode", 0700);
        Files.setAttribute(root.resolve("copy.txt"), "unix:mode", 04755);
        Files.setAttribute(root.resolve("empty"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(root.resolve("empty"), "unix:gid", 5678, LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(
                root.resolve("big.txt"), FileTime.from(Instant.parse("2020-02-02T02:02:02.123456789Z")));
        Files.setLastModifiedTime(sub, FileTime.from(Instant.parse("2019-01-01T00:00:00Z")));
        return root;
    }

    /** Path → (type, mode, uid, gid, mtime, link target, content) for every entry under root. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        var out = new TreeMap<String, String>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (var p : walk.toList()) {
                var a = FileAttributes.read(p);
                var rel = root.relativize(p).toString();
                String detail;
                if (Files.isSymbolicLink(p)) {
                    detail = "link " + Files.readSymbolicLink(p) + " " + a.uid() + ":" + a.gid() + " "
                            + a.modifiedNanos();
                } else if (Files.isDirectory(p)) {
                    detail = "dir " + Integer.toOctalString(a.mode()) + " " + a.uid() + ":" + a.gid() + " "
                            + a.modifiedNanos();
                } else {
                    detail = "file " + Integer.toOctalString(a.mode()) + " " + a.uid() + ":" + a.gid() + " "
                            + a.modifiedNanos() + " " + java.util.Arrays.hashCode(Files.readAllBytes(p));
                }
                out.put(rel, detail);
            }
        }
        return out;
    }

    @Test
    void treeRestoresWithModesOwnersTimesAndSymlinks() throws IOException {
        var root = tree();
        var expected = snapshot(root);
        {
            var repo = TestRepositories.init(new FileSystemBlobStore(dir.resolve("repo")));
            var rp = repo.backupTree(root, BackupOptions.defaults());
            var target = dir.resolve("restored");
            repo.restore(rp.id(), target, ProgressListener.NONE);
            assertThat(snapshot(target)).isEqualTo(expected);
        }
    }

    @Test
    void identicalFilesAndRepeatedBackupsAreStoredOnce() throws IOException {
        var root = tree();
        {
            var repo = TestRepositories.init(new FileSystemBlobStore(dir.resolve("repo")));
            var first = repo.backupTree(root, BackupOptions.defaults());
            // big.txt and copy.txt are equal: their chunks are stored once, so well under the 700 KB read.
            assertThat(first.bytesProcessed()).isEqualTo(700_000);
            assertThat(first.bytesAdded()).isLessThan(100_000 + 2 * 300_000 / 3);
            var alone = repo.backupFile(root.resolve("copy.txt"), BackupOptions.defaults());
            assertThat(alone.bytesAdded()).isLessThan(4096);
            var second = repo.backupTree(root, BackupOptions.defaults());
            // Only the node stream may change (access times move); no file data is uploaded again.
            assertThat(second.bytesAdded()).isLessThan(4096);
        }
    }

    @Test
    void severalPathsBecomeOneTreeAndFilesCanBeReadAtRandom() throws IOException {
        var root = tree();
        var other = Files.write(dir.resolve("notes.md"), "hello".getBytes());
        {
            var repo = TestRepositories.init(new FileSystemBlobStore(dir.resolve("repo")));
            var rp = repo.backupTree(java.util.List.of(root, other), BackupOptions.defaults());
            var reader = repo.reader(rp.id());
            assertThat(reader.entries())
                    .extracting(TreeNode::path)
                    .contains("", "notes.md", "src", "src/big.txt", "src/sub/deeper/random.bin", "src/sub/link");
            assertThat(reader.entries())
                    .filteredOn(n -> n.path().equals("src/sub/link"))
                    .singleElement()
                    .extracting(TreeNode::type, TreeNode::linkTarget)
                    .containsExactly(EntryType.SYMLINK, "../big.txt");
            var file = reader.openFile("src/sub/deeper/random.bin");
            var expected = TestRepositories.random(2, 100_000);
            assertThat(file.size()).isEqualTo(100_000);
            assertThat(file.readFully(54_321, 20_000))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected, 54_321, 74_321));
            assertThat(reader.openFile("notes.md").readFully(0, 5)).isEqualTo("hello".getBytes());
            assertThatThrownBy(() -> reader.openFile("src/sub")).isInstanceOf(ScalezException.class);
        }
    }

    @Test
    void aManifestWithAnEscapingPathCannotWriteOutsideTheTarget() {
        var sink = new io.cloudconnector.scalez.sink.TreeSink(dir.resolve("t"));
        assertThatThrownBy(() -> sink.resolve("../evil"))
                .isInstanceOf(ScalezException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> sink.resolve("/etc/passwd")).isInstanceOf(ScalezException.class);
    }
}
