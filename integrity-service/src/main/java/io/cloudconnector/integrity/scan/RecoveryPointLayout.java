package io.cloudconnector.integrity.scan;

import io.cloudconnector.filesystems.ByteSource;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.Disks;
import io.cloudconnector.filesystems.FileEntry;
import io.cloudconnector.filesystems.Finding;
import io.cloudconnector.filesystems.RecoveryPointSource;
import io.cloudconnector.scalez.model.SourceKind;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.EntryType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The volumes of a recovery point. A block (EBS) recovery point is one disk; a tree recovery point's files
 * are scanned as files, except those that hold a disk image themselves (a partition table or a file system
 * at their start), which are scanned as disks — so an EC2 recovery point that keeps each volume as an image
 * file is followed into every volume.
 */
final class RecoveryPointLayout {

    private static final long MIN_DISK_IMAGE = 1 << 20;

    private RecoveryPointLayout() {}

    /** A volume of the recovery point and what it holds; {@code key} matches the same volume across recovery points. */
    record Part(String key, String scheme, String partitionType, long offset, long size, Disks.Content content) {}

    static List<Part> of(Repository repository, String recoveryPointId, Consumer<Finding> findings) {
        var reader = repository.reader(recoveryPointId);
        List<Part> parts = new ArrayList<>();
        if (reader.recoveryPoint().kind() != SourceKind.TREE) {
            disk(new RecoveryPointSource(() -> repository.reader(recoveryPointId)), "disk0", parts, findings);
            return parts;
        }
        List<FileEntry> plain = new ArrayList<>();
        for (var node : reader.entries()) {
            if (node.type() != EntryType.FILE) {
                continue;
            }
            if (node.size() >= MIN_DISK_IMAGE) {
                var source = new RecoveryPointSource(
                        () -> repository.reader(recoveryPointId).openFile(node.path()));
                if (holdsDisk(source)) {
                    disk(source, node.path(), parts, findings);
                    continue;
                }
            }
            plain.add(new FileEntry(
                    node.path(),
                    node.size(),
                    node.attributes().modifiedNanos() / 1_000_000_000L,
                    0,
                    FileEntry.MAIN_STREAM));
        }
        if (!plain.isEmpty()) {
            var files = new TreeFileSystem(
                    plain,
                    path -> new RecoveryPointSource(
                            () -> repository.reader(recoveryPointId).openFile(path)));
            parts.add(new Part(
                    "files",
                    "tree",
                    "",
                    0,
                    plain.stream().mapToLong(FileEntry::size).sum(),
                    new Disks.Readable(files)));
        }
        return parts;
    }

    private static boolean holdsDisk(ByteSource source) {
        List<Finding> ignored = new ArrayList<>();
        var volumes = Disks.volumes(source, "probe", ignored::add);
        if (volumes.size() != 1 || !"none".equals(volumes.getFirst().scheme())) {
            return true;
        }
        return switch (Disks.open(source, "probe")) {
            case Disks.Readable r -> true;
            case Disks.PhysicalVolume pv -> true;
            case Disks.Encrypted e -> true;
            default -> false;
        };
    }

    private static void disk(ByteSource disk, String name, List<Part> parts, Consumer<Finding> findings) {
        List<Disks.Volume> volumes;
        try {
            volumes = Disks.volumes(disk, name, findings);
        } catch (CorruptFileSystemException e) {
            findings.accept(Finding.error(name, "partition table cannot be read: " + e.getMessage()));
            parts.add(
                    new Part(name, "none", "", 0, disk.size(), new Disks.Unrecognised(String.valueOf(e.getMessage()))));
            return;
        }
        for (var volume : volumes) {
            var content = Disks.open(disk.slice(volume.offset(), volume.length()), volume.name());
            parts.add(new Part(
                    volume.name(), volume.scheme(), volume.partitionType(), volume.offset(), volume.length(), content));
            if (content instanceof Disks.PhysicalVolume pv) {
                logicalVolumes(volume, pv, parts, findings);
            }
        }
    }

    /** The logical volumes of an LVM2 physical volume, each a part of its own named {@code <volume> <vg>/<lv>}. */
    private static void logicalVolumes(
            Disks.Volume volume, Disks.PhysicalVolume pv, List<Part> parts, Consumer<Finding> findings) {
        pv.findings().forEach(findings);
        for (var lv : pv.logicalVolumes()) {
            parts.add(new Part(
                    lv.name(),
                    "lvm2",
                    lv.layout(),
                    lv.offset() < 0 ? -1 : volume.offset() + lv.offset(),
                    lv.size(),
                    lv.content()));
        }
    }
}
