package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.filesystems.Browsable;
import io.cloudconnector.filesystems.ByteSource;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.Disks;
import io.cloudconnector.filesystems.Finding;
import io.cloudconnector.scalez.repo.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recovery point opened for browsing: its block device (read on demand through a few pooled engine readers) and
 * the volumes found on it. An EBS point is one disk, {@code disk0}; an EC2 point holds its volumes one after the other,
 * each a disk named by its volume id. Opening reads the partition tables and the file systems' superblocks, nothing
 * more.
 */
final class OpenedPoint {

    /** The unit of an instance point's layout: its volumes start at block boundaries. */
    static final long BLOCK = 512 * 1024;

    private final String id;
    private final PooledSource device;
    private final List<BrowsableVolume> volumes;

    private OpenedPoint(String id, PooledSource device, List<BrowsableVolume> volumes) {
        this.id = id;
        this.device = device;
        this.volumes = List.copyOf(volumes);
    }

    static OpenedPoint open(Repository repository, KnownRecoveryPoint point, int readers) {
        var device = new PooledSource(() -> repository.reader(point.id()), readers);
        List<BrowsableVolume> volumes = new ArrayList<>();
        if (point.kind() == RecoveryPointKind.EC2 && !point.volumes().isEmpty()) {
            for (var volume : point.volumes()) {
                long start = volume.firstBlock() * BLOCK;
                disk(device.slice(start, volume.sizeBytes()), volume.volume().volumeId(), "/", volumes);
            }
        } else {
            disk(device, "disk0", "", volumes);
        }
        return new OpenedPoint(point.id(), device, volumes);
    }

    String id() {
        return id;
    }

    List<BrowsableVolume> volumes() {
        return volumes;
    }

    Optional<BrowsableVolume> volume(String name) {
        return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** How many bytes requests have read from the point since it was opened. */
    long bytesRead() {
        return device.bytesRead();
    }

    void close() {
        device.close();
    }

    private static void disk(ByteSource disk, String diskName, String separator, List<BrowsableVolume> out) {
        List<Finding> findings = new ArrayList<>();
        List<Disks.Volume> parts;
        try {
            parts = Disks.volumes(disk, diskName, findings::add);
        } catch (CorruptFileSystemException e) {
            out.add(new BrowsableVolume(
                    diskName, null, disk.size(), "its partition table cannot be read: " + e.getMessage(), null));
            return;
        }
        if (parts.isEmpty()) {
            String why =
                    findings.isEmpty() ? "no partitions" : findings.getFirst().message();
            out.add(new BrowsableVolume(diskName, null, disk.size(), why, null));
        }
        for (var part : parts) {
            String name = "none".equals(part.scheme())
                    ? diskName
                    : diskName + separator + part.name().substring(part.name().lastIndexOf(' ') + 1);
            Disks.Content content;
            try {
                content = Disks.open(disk.slice(part.offset(), part.length()), name);
            } catch (CorruptFileSystemException e) {
                content = new Disks.Unrecognised(String.valueOf(e.getMessage()));
            }
            out.add(describe(name, part.length(), content));
            if (content instanceof Disks.PhysicalVolume pv) {
                for (var lv : pv.logicalVolumes()) {
                    String lvName = name + "/" + lv.name().substring(lv.name().lastIndexOf(' ') + 1);
                    out.add(describe(lvName, lv.size(), lv.content()));
                }
            }
        }
    }

    private static BrowsableVolume describe(String name, long size, Disks.Content content) {
        return switch (content) {
            case Disks.Readable(var fs)
            when fs instanceof Browsable browsable -> new BrowsableVolume(name, fs.type(), size, null, browsable);
            case Disks.Readable(var fs) ->
                new BrowsableVolume(name, fs.type(), size, "browsing " + fs.type() + " is not supported yet", null);
            case Disks.PhysicalVolume pv ->
                new BrowsableVolume(
                        name,
                        "lvm2",
                        size,
                        "an LVM2 physical volume of volume group " + pv.volumeGroup()
                                + ": its logical volumes are listed on their own",
                        null);
            case Disks.Encrypted e ->
                new BrowsableVolume(
                        name, e.format(), size, "encrypted: its files cannot be read without its key", null);
            case Disks.Unsupported u ->
                new BrowsableVolume(
                        name, u.format(), size, u.format() + " is a format this connector does not read", null);
            case Disks.Swap s -> new BrowsableVolume(name, "swap", size, "swap space holds no files", null);
            case Disks.Empty e -> new BrowsableVolume(name, null, size, "empty: only zeros", null);
            case Disks.Unrecognised u ->
                new BrowsableVolume(name, null, size, "no file system recognised: " + u.reason(), null);
        };
    }
}
