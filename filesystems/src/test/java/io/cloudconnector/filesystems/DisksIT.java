package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition tables written by sfdisk, holding real file systems, followed to the files inside. */
class DisksIT {

    private static final long MIB = 1 << 20;

    @TempDir
    static Path dir;

    static Path ext4;
    static Path ntfs;

    @BeforeAll
    static void makeVolumes() {
        var tree = dir.resolve("tree");
        DiskImages.write(tree, "docs/readme.txt", "inside a partition".getBytes(StandardCharsets.UTF_8));
        ext4 = DiskImages.ext4(tree, dir.resolve("p.ext4"), "32M");
        ntfs = DiskImages.ntfs(
                dir.resolve("p.ntfs"),
                32 * MIB,
                Map.of(
                        "win.txt",
                        DiskImages.write(dir.resolve("w"), "win.txt", "windows".getBytes(StandardCharsets.UTF_8))));
    }

    private static List<String> describe(Path disk) {
        List<Finding> findings = new ArrayList<>();
        var source = DiskImages.source(disk);
        List<String> out = new ArrayList<>();
        for (var volume : Disks.volumes(source, "disk0", findings::add)) {
            var content = Disks.open(source.slice(volume.offset(), volume.length()), volume.name());
            String what = switch (content) {
                case Disks.Readable(var fs) ->
                    fs.type() + " " + FileSystems.read(fs).sha256().keySet();
                case Disks.Unsupported(var format) -> "unsupported " + format;
                case Disks.Encrypted(var format) -> "encrypted-volume " + format;
                case Disks.PhysicalVolume(var vg, var pv, var lvs, var _) ->
                    "lvm2 " + pv + " of " + vg + " "
                            + lvs.stream().map(Disks.LogicalVolume::name).toList();
                case Disks.Swap() -> "swap";
                case Disks.Empty() -> "empty";
                case Disks.Unrecognised(var reason) -> "unrecognised: " + reason;
            };
            out.add(volume.name() + " " + volume.scheme() + " @" + volume.offset() / MIB + "M " + what);
        }
        findings.forEach(f -> out.add("finding: " + f.message()));
        return out;
    }

    @Test
    void followsAnMbrWithALogicalPartition() {
        var disk = dir.resolve("mbr.img");
        DiskImages.sparse(disk, 160 * MIB);
        DiskImages.partition(disk, """
                label: dos
                start=1MiB, size=32MiB, type=83
                start=34MiB, size=100MiB, type=5
                start=35MiB, size=32MiB, type=7
                start=68MiB, size=40MiB, type=82
                """);
        DiskImages.place(ext4, disk, MIB);
        DiskImages.place(ntfs, disk, 35 * MIB);
        var swap = dir.resolve("p.swap");
        DiskImages.sparse(swap, 40 * MIB);
        DiskImages.run(List.of("mkswap", swap.toString()));
        DiskImages.place(swap, disk, 68 * MIB);

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 p1 mbr @1M ext4 [docs/readme.txt]",
                        "disk0 p5 mbr-logical @35M ntfs [win.txt]",
                        "disk0 p6 mbr-logical @68M swap");
    }

    @Test
    void followsAGptAndFallsBackToItsBackupHeader() {
        var disk = dir.resolve("gpt.img");
        DiskImages.sparse(disk, 100 * MIB);
        DiskImages.partition(disk, """
                label: gpt
                start=1MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root
                start=40MiB, size=32MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=data
                """);
        DiskImages.place(ext4, disk, MIB);
        DiskImages.place(ntfs, disk, 40 * MIB);

        assertThat(describe(disk))
                .containsExactly("disk0 p1 gpt @1M ext4 [docs/readme.txt]", "disk0 p2 gpt @40M ntfs [win.txt]");

        DiskImages.overwrite(disk, 512 + 24, new byte[8]);

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 p1 gpt @1M ext4 [docs/readme.txt]",
                        "disk0 p2 gpt @40M ntfs [win.txt]",
                        "finding: primary GPT header fails its CRC; read the backup header");
    }

    @Test
    void aDiskWithoutPartitionTableIsOneVolume() {
        assertThat(describe(ext4)).containsExactly("disk0 none @0M ext4 [docs/readme.txt]");
    }

    @Test
    void readsAnXfsVolumeAloneAndInsideMbrAndGptPartitions() {
        var xfs = DiskImages.xfs(dir.resolve("tree"), dir.resolve("p.xfs"), "32M");
        assertThat(describe(xfs)).containsExactly("disk0 none @0M xfs [docs/readme.txt]");

        var mbr = dir.resolve("mbr-xfs.img");
        DiskImages.sparse(mbr, 80 * MIB);
        DiskImages.partition(mbr, """
                label: dos
                start=1MiB, size=32MiB, type=83
                start=34MiB, size=32MiB, type=83
                """);
        DiskImages.place(ext4, mbr, MIB);
        DiskImages.place(xfs, mbr, 34 * MIB);
        assertThat(describe(mbr))
                .containsExactly("disk0 p1 mbr @1M ext4 [docs/readme.txt]", "disk0 p2 mbr @34M xfs [docs/readme.txt]");

        var gpt = dir.resolve("gpt-xfs.img");
        DiskImages.sparse(gpt, 40 * MIB);
        DiskImages.partition(gpt, """
                label: gpt
                start=2MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data
                """);
        DiskImages.place(xfs, gpt, 2 * MIB);
        assertThat(describe(gpt)).containsExactly("disk0 p1 gpt @2M xfs [docs/readme.txt]");
    }

    @Test
    void tellsEmptyFromUnrecognisedData() {
        var disk = dir.resolve("wiped.img");
        DiskImages.sparse(disk, 64 * MIB);
        assertThat(describe(disk)).containsExactly("disk0 none @0M empty");

        DiskImages.overwrite(disk, 40 * MIB, "data nobody can read".getBytes(StandardCharsets.UTF_8));
        assertThat(describe(disk)).containsExactly("disk0 none @0M unrecognised: no file system recognised");
    }
}
