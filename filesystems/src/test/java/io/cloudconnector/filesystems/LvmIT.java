package io.cloudconnector.filesystems;

import static io.cloudconnector.filesystems.LvmImages.EXTENT;
import static io.cloudconnector.filesystems.LvmImages.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.filesystems.LvmImages.Segment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LVM2 physical volumes (whole disks and partitions) holding real ext4 file systems in linear logical
 * volumes, the layouts that are only named, and encrypted volumes.
 */
class LvmIT {

    @TempDir
    static Path dir;

    static Path ext4;
    static Path small;
    static String readme;

    @BeforeAll
    static void makeVolumes() {
        var tree = dir.resolve("tree");
        var content = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            content.append("line ").append(i).append(" of a file that spans several extents\n");
        }
        DiskImages.write(tree, "docs/readme.txt", "inside a logical volume".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "var/log/big.log", content.toString().getBytes(StandardCharsets.UTF_8));
        readme = FileSystems.sha256("inside a logical volume".getBytes(StandardCharsets.UTF_8));
        // 12 MiB: three extents, so that a file system straddles segment boundaries.
        ext4 = DiskImages.ext4(tree, dir.resolve("lv.ext4"), "12M");
        var other = dir.resolve("other");
        DiskImages.write(other, "etc/hostname", "db1\n".getBytes(StandardCharsets.UTF_8));
        small = DiskImages.ext4(other, dir.resolve("small.ext4"), "8M");
    }

    /** Each volume and logical volume: name, scheme or layout, and what it holds. */
    static List<String> describe(Path disk) {
        List<Finding> findings = new ArrayList<>();
        var source = DiskImages.source(disk);
        List<String> out = new ArrayList<>();
        for (var volume : Disks.volumes(source, "disk0", findings::add)) {
            var content = Disks.open(source.slice(volume.offset(), volume.length()), volume.name());
            out.add(volume.name() + " " + volume.scheme() + " " + what(content));
            if (content instanceof Disks.PhysicalVolume pv) {
                findings.addAll(pv.findings());
                for (var lv : pv.logicalVolumes()) {
                    out.add(lv.name() + " " + lv.layout() + " " + lv.size() / MIB + "M " + what(lv.content()));
                }
            }
        }
        findings.forEach(f -> out.add("finding: " + f.location() + ": " + f.message()));
        return out;
    }

    private static String what(Disks.Content content) {
        return switch (content) {
            case Disks.Readable(var fs) -> {
                var walk = FileSystems.read(fs);
                yield fs.type() + " " + walk.sha256().keySet()
                        + (walk.problems().isEmpty() ? "" : " " + walk.problems());
            }
            case Disks.PhysicalVolume(var vg, var pv, var lvs, var _) -> "lvm2 " + pv + " of " + vg;
            case Disks.Encrypted(var format) -> "encrypted-volume " + format;
            case Disks.Unsupported(var format) -> "unsupported " + format;
            case Disks.Swap() -> "swap";
            case Disks.Empty() -> "empty";
            case Disks.Unrecognised(var reason) -> "unrecognised: " + reason;
        };
    }

    @Test
    void readsALinearLogicalVolumeOnAWholeDisk() {
        var disk = dir.resolve("whole.img");
        DiskImages.sparse(disk, 64 * MIB);
        var root = new Segment(0, 3, 0);
        LvmImages.physicalVolume(disk, 0, 64 * MIB, "vg0", List.of(LvmImages.linear("lv_root", root)));
        LvmImages.placeExtents(ext4, disk, 0, root);

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 none lvm2 pv0 of vg0",
                        "disk0 vg0/lv_root linear 12M ext4 [docs/readme.txt, var/log/big.log]");
        var lv = logicalVolume(disk, 0);
        var fs = ((Disks.Readable) lv.content()).fileSystem();
        var files = FileSystems.read(fs).sha256();
        assertThat(files.get("docs/readme.txt")).isEqualTo(readme);
        assertThat(files.get("var/log/big.log")).isEqualTo(tskSha256(ext4, "var/log/big.log"));
        assertThat(lv.offset()).isEqualTo(LvmImages.PE_START);
    }

    @Test
    void followsTheSegmentsOfALinearVolumeInAnyOrderOnThePhysicalVolume() {
        var disk = dir.resolve("segments.img");
        DiskImages.sparse(disk, 100 * MIB);
        DiskImages.partition(disk, """
                label: gpt
                start=1MiB, size=64MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928, name=lvm
                """);
        // The file system's first extent is the physical volume's sixth, its last two the second and third;
        // another volume sits between them.
        Segment[] data = {new Segment(2, 1, 1), new Segment(0, 1, 5), new Segment(1, 1, 2)};
        Segment[] home = {new Segment(0, 2, 3)};
        LvmImages.physicalVolume(
                disk,
                MIB,
                64 * MIB,
                "vg0",
                List.of(LvmImages.linear("lv_data", data), LvmImages.linear("lv_home", home)));
        LvmImages.placeExtents(ext4, disk, MIB, data);
        LvmImages.placeExtents(small, disk, MIB, home);

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 p1 gpt lvm2 pv0 of vg0",
                        "disk0 p1 vg0/lv_data linear 12M ext4 [docs/readme.txt, var/log/big.log]",
                        "disk0 p1 vg0/lv_home linear 8M ext4 [etc/hostname]");
        var fs = ((Disks.Readable) logicalVolume(disk, 0).content()).fileSystem();
        assertThat(FileSystems.read(fs).sha256().get("var/log/big.log")).isEqualTo(tskSha256(ext4, "var/log/big.log"));
    }

    @Test
    void readsThePhysicalVolumeTheLvm2ToolsWrote() {
        var disk = dir.resolve("lvm2-tools.img");
        DiskImages.sparse(disk, 64 * MIB);
        DiskImages.overwrite(disk, 0, LvmImages.lvm2ToolsPhysicalVolume());
        LvmImages.placeExtents(ext4, disk, 0, new Segment(0, 2, 0), new Segment(2, 1, 4));
        LvmImages.placeExtents(small, disk, 0, new Segment(0, 2, 2));

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 none lvm2 pv0 of vgt",
                        "disk0 vgt/lva linear 12M ext4 [docs/readme.txt, var/log/big.log]",
                        "disk0 vgt/lvb linear 8M ext4 [etc/hostname]");
    }

    @Test
    void namesTheLayoutsItDoesNotRead() {
        var disk = dir.resolve("layouts.img");
        DiskImages.sparse(disk, 64 * MIB);
        LvmImages.physicalVolume(
                disk,
                0,
                64 * MIB,
                "vg0",
                List.of(
                        LvmImages.striped("lv_striped", 2, 0, 1),
                        LvmImages.thin("pool", "lv_thin", 2, 3),
                        LvmImages.linear("lv_spanning", new Segment(0, 1, 4), new Segment(1, 1, 0, "pv1")),
                        LvmImages.linear("lv_elsewhere", new Segment(0, 1, 0, "pv1")),
                        LvmImages.linear("lv_ok", new Segment(0, 2, 5))),
                "pv1");
        LvmImages.placeExtents(small, disk, 0, new Segment(0, 2, 5));

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 none lvm2 pv0 of vg0",
                        "disk0 vg0/lv_striped lvm-striped 8M unsupported lvm-striped",
                        "disk0 vg0/pool lvm-thin-pool 4M unsupported lvm-thin-pool",
                        "disk0 vg0/lv_thin lvm-thin 16M unsupported lvm-thin",
                        "disk0 vg0/lv_spanning linear 8M unsupported lvm-multi-pv (extents on pv1, which this physical "
                                + "volume does not hold)",
                        "disk0 vg0/lv_ok linear 8M ext4 [etc/hostname]",
                        "finding: disk0 vg0/lv_elsewhere: lies wholly on other physical volumes of vg0; scanned where those are");
    }

    @Test
    void aDamagedLabelOrMetadataIsUnrecognisedNotAFailure() {
        var disk = dir.resolve("damaged.img");
        DiskImages.sparse(disk, 64 * MIB);
        LvmImages.physicalVolume(disk, 0, 64 * MIB, "vg0", List.of(LvmImages.linear("lv", new Segment(0, 2, 0))));
        DiskImages.overwrite(disk, 4096 + 600, "garbage".getBytes(StandardCharsets.US_ASCII));

        assertThat(describe(disk))
                .containsExactly("disk0 none unrecognised: LVM2 physical volume " + LvmImages.PV_UUID
                        + " has no readable metadata: metadata at 4608 fails its CRC");

        DiskImages.overwrite(disk, 512 + 100, new byte[] {1});
        assertThat(describe(disk)).containsExactly("disk0 none unrecognised: LVM2 label fails its CRC");
    }

    @Test
    void encryptedVolumesAreNamedAsSuch() {
        var disk = dir.resolve("encrypted.img");
        DiskImages.sparse(disk, 40 * MIB);
        DiskImages.partition(disk, """
                label: dos
                start=1MiB, size=12MiB, type=83
                start=13MiB, size=12MiB, type=83
                start=25MiB, size=12MiB, type=7
                """);
        DiskImages.overwrite(disk, MIB, LvmImages.luks2Header());
        DiskImages.overwrite(disk, 13 * MIB, LvmImages.luks1Header());
        DiskImages.overwrite(disk, 25 * MIB, LvmImages.bitlockerBootSector());

        assertThat(describe(disk))
                .containsExactly(
                        "disk0 p1 mbr encrypted-volume luks2",
                        "disk0 p2 mbr encrypted-volume luks1",
                        "disk0 p3 mbr encrypted-volume bitlocker");
    }

    @Test
    void anEncryptedLogicalVolumeIsNamedToo() {
        var disk = dir.resolve("lv-luks.img");
        DiskImages.sparse(disk, 64 * MIB);
        LvmImages.physicalVolume(disk, 0, 64 * MIB, "vg0", List.of(LvmImages.linear("crypt", new Segment(0, 2, 3))));
        DiskImages.overwrite(disk, LvmImages.PE_START + 3 * EXTENT, LvmImages.luks2Header());

        assertThat(describe(disk))
                .containsExactly("disk0 none lvm2 pv0 of vg0", "disk0 vg0/crypt linear 8M encrypted-volume luks2");
    }

    private static Disks.LogicalVolume logicalVolume(Path disk, int index) {
        var source = DiskImages.source(disk);
        var volume = Disks.volumes(source, "disk0", f -> {}).getFirst();
        var pv = (Disks.PhysicalVolume) Disks.open(source.slice(volume.offset(), volume.length()), volume.name());
        return pv.logicalVolumes().get(index);
    }

    private static String tskSha256(Path image, String path) {
        return FileSystems.sha256(
                DiskImages.tskContent(image, 0, DiskImages.tskFiles(image, 0).get(path)));
    }
}
