package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ext reader against images made by mke2fs, checked file by file against The Sleuth Kit. */
class ExtFileSystemIT {

    @TempDir
    static Path dir;

    static Path tree;
    static Map<String, String> expected = new TreeMap<>();

    @BeforeAll
    static void makeATree() throws Exception {
        tree = Files.createDirectories(dir.resolve("tree"));
        var random = new Random(42);
        put("etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        put("home/anna/notes.txt", "meeting at ten\n".repeat(300).getBytes(StandardCharsets.UTF_8));
        put("home/anna/empty", new byte[0]);
        put("home/anna/Grüße, ünïcode.txt", "hallo".getBytes(StandardCharsets.UTF_8));
        var big = new byte[3 * 1024 * 1024 + 123];
        random.nextBytes(big);
        put("var/lib/big.bin", big);
        for (int i = 0; i < 400; i++) {
            // Enough entries that ext4 indexes the directory (an htree), which the reader must still list.
            put("srv/many/file-" + i + ".dat", ("content " + i).getBytes(StandardCharsets.UTF_8));
        }
        Files.createSymbolicLink(tree.resolve("home/anna/link"), Path.of("notes.txt"));
    }

    private static void put(String path, byte[] content) {
        DiskImages.write(tree, path, content);
        expected.put(path, FileSystems.sha256(content));
    }

    @Test
    void readsEveryFileOfAnExt4ImageAsTheSleuthKitDoes() {
        var image = DiskImages.ext4(tree, dir.resolve("ext4.img"), "64M");

        var fs = FileSystems.open(DiskImages.source(image));
        var walk = FileSystems.read(fs);

        assertThat(fs.type()).isEqualTo("ext4");
        assertThat(walk.problems()).isEmpty();
        assertThat(walk.sha256()).isEqualTo(expected);
        var tsk = DiskImages.tskFiles(image, 0);
        assertThat(tsk.keySet())
                .filteredOn(p -> !p.startsWith("$"))
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(FileSystems.sha256(DiskImages.tskContent(image, 0, tsk.get("var/lib/big.bin"))))
                .isEqualTo(walk.sha256().get("var/lib/big.bin"));
        assertThat(fs.findings())
                .extracting(Finding::message)
                .contains("superblock checksum verified")
                .noneMatch(m -> m.contains("damaged"));
    }

    @Test
    void readsTheBlockMapsOfExt3AndExt2() {
        for (var kind : new String[] {"ext3", "ext2"}) {
            var image = dir.resolve(kind + ".img");
            DiskImages.run(java.util.List.of(
                    "mke2fs", "-q", "-F", "-t", kind, "-b", "1024", "-d", tree.toString(), image.toString(), "64M"));

            var fs = FileSystems.open(DiskImages.source(image));

            assertThat(fs.type()).isEqualTo(kind);
            // 3 MiB in 1 KiB blocks goes through single, double indirect blocks.
            assertThat(FileSystems.read(fs).sha256()).isEqualTo(expected);
        }
    }

    @Test
    void aDamagedPrimarySuperblockIsReportedAndTheBackupIsUsed() {
        var image = DiskImages.ext4(tree, dir.resolve("damaged.img"), "64M");
        // Flip the free-blocks count: the magic survives, the checksum does not.
        DiskImages.overwrite(image, 1024 + 12, new byte[] {0x7f, 0x7f});

        var fs = FileSystems.open(DiskImages.source(image));

        assertThat(fs.findings()).first().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.message()).contains("primary superblock is damaged (checksum mismatch)", "backup superblock");
        });
        assertThat(FileSystems.read(fs).sha256()).isEqualTo(expected);
    }

    @Test
    void aFileSystemThatRecordedErrorsSaysSo() {
        var image = DiskImages.ext4(tree, dir.resolve("errors.img"), "64M");
        DiskImages.run(java.util.List.of("debugfs", "-w", "-R", "ssv state 2", image.toString()));

        var fs = FileSystems.open(DiskImages.source(image));

        assertThat(fs.findings()).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.message()).contains("recorded errors");
        });
    }

    @Test
    void aDirectoryWithABrokenEntryIsReportedAndTheRestIsRead() {
        var image = DiskImages.ext4(tree, dir.resolve("baddir.img"), "64M");
        // Find etc's directory block through debugfs and zero the record lengths in it.
        var blocks = DiskImages.run(java.util.List.of("debugfs", "-R", "blocks /etc", image.toString()))
                .trim();
        long block = Long.parseLong(blocks.split("\\s+")[0]);
        DiskImages.overwrite(image, block * 1024, new byte[16]);

        var walk = FileSystems.read(FileSystems.open(DiskImages.source(image)));

        assertThat(walk.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("/etc", "record length"));
        assertThat(walk.sha256()).doesNotContainKey("etc/hostname").containsKey("var/lib/big.bin");
    }
}
