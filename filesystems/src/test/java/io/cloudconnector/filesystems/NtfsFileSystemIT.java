package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NTFS reader against images made by mkntfs and ntfscp, checked against The Sleuth Kit. */
class NtfsFileSystemIT {

    @TempDir
    static Path dir;

    static final Map<String, Path> files = new LinkedHashMap<>();
    static final Map<String, String> expected = new TreeMap<>();

    @BeforeAll
    static void makeFiles() {
        var random = new Random(7);
        var big = new byte[5 * 1024 * 1024 + 17];
        random.nextBytes(big);
        add("big.bin", big);
        add("small.txt", "resident in its MFT record".getBytes(StandardCharsets.UTF_8));
        add("report.csv", "a,b,c\n".repeat(20_000).getBytes(StandardCharsets.UTF_8));
        add("empty.dat", new byte[0]);
    }

    private static void add(String name, byte[] content) {
        files.put(name, DiskImages.write(dir.resolve("src"), name, content));
        expected.put(name, FileSystems.sha256(content));
    }

    @Test
    void readsEveryFileAsTheSleuthKitDoes() {
        var image = DiskImages.ntfs(dir.resolve("ntfs.img"), 64L << 20, files);

        var fs = FileSystems.open(DiskImages.source(image));
        var walk = FileSystems.read(fs);

        assertThat(fs.type()).isEqualTo("ntfs");
        assertThat(fs.findings()).isEmpty();
        assertThat(walk.problems()).isEmpty();
        assertThat(walk.sha256()).isEqualTo(expected);
        var tsk = DiskImages.tskFiles(image, 0);
        assertThat(tsk.keySet())
                .filteredOn(p -> !p.startsWith("$"))
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var name : expected.keySet()) {
            assertThat(FileSystems.sha256(DiskImages.tskContent(image, 0, tsk.get(name))))
                    .as(name)
                    .isEqualTo(walk.sha256().get(name));
        }
    }

    @Test
    void aTornMftRecordAndADifferingMirrorAreReported() {
        var image = DiskImages.ntfs(dir.resolve("torn.img"), 64L << 20, files);
        var boot = DiskImages.source(image).readFully(0, 512);
        long cluster = (long) Le.u16(boot, 11) * Le.u8(boot, 13);
        long mft = Le.u64(boot, 48) * cluster;
        // Record 1 ($MFTMirr's own record): break the last two bytes of its first sector (the fixup slot).
        DiskImages.overwrite(image, mft + 1024 + 510, new byte[] {0x55, 0x55});

        var fs = FileSystems.open(DiskImages.source(image));
        var walk = FileSystems.read(fs);

        assertThat(fs.findings())
                .extracting(Finding::message)
                .contains("MFT record 1 differs from its copy in $MFTMirr");
        assertThat(walk.problems())
                .extracting(Finding::message)
                .contains("MFT record 1 is torn (update sequence mismatch in sector 0)");
        assertThat(walk.sha256()).isEqualTo(expected);
    }
}
