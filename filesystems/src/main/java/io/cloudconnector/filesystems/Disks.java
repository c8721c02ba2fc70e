package io.cloudconnector.filesystems;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * What a disk holds: its partitions (MBR with extended/logical partitions, GPT with its CRCs and backup
 * header), or one volume spanning the whole disk, and what each volume contains.
 */
public final class Disks {

    private static final int SECTOR = 512;
    private static final int PROBE_BYTES = 64 * 1024;
    private static final Map<String, String> GPT_TYPES = Map.of(
            "0fc63daf-8483-4772-8e79-3d69d8477de4", "linux-data",
            "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "microsoft-basic-data",
            "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "efi-system",
            "21686148-6449-6e6f-744e-656564454649", "bios-boot",
            "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "linux-swap",
            "e6d6d379-f507-44c2-a23c-238f2a3df928", "linux-lvm",
            "e3c9e316-0b5c-4db8-817d-f92df00215ae", "microsoft-reserved",
            "de94bba4-06d1-4d40-a16a-bfd50179d6ac", "windows-recovery");

    private Disks() {}

    /** A volume of a disk: a partition, or the whole disk when it has no partition table. */
    public record Volume(String name, long offset, long length, String scheme, String partitionType) {}

    /** What a volume turned out to hold. */
    public sealed interface Content {}

    /** A file system this scanner reads. */
    public record Readable(FileSystem fileSystem) implements Content {}

    /** A known format the scanner cannot look into (FAT, a striped or thin LVM logical volume...). */
    public record Unsupported(String format) implements Content {}

    /** A LUKS ({@code luks1}, {@code luks2}) or BitLocker ({@code bitlocker}) volume: its files cannot be read without its key. */
    public record Encrypted(String format) implements Content {}

    /**
     * An LVM2 physical volume: its volume group, its name in the group's metadata ({@code pv0}), the logical
     * volumes with extents on it (each named {@code <volume> <vg>/<lv>} and opened in turn), and what reading
     * the metadata noticed.
     */
    public record PhysicalVolume(
            String volumeGroup, String name, List<LogicalVolume> logicalVolumes, List<Finding> findings)
            implements Content {}

    /**
     * A logical volume: its name, {@code linear} or the unsupported layout it has ({@code lvm-striped},
     * {@code lvm-thin}...), its size, where its first extent lies in the physical volume (-1 when it is not
     * read), and what it holds.
     */
    public record LogicalVolume(String name, String layout, long size, long offset, Content content) {}

    /** Swap space: nothing to scan. */
    public record Swap() implements Content {}

    /** Only zeros where a file system would start and at every sampled place: nothing to scan. */
    public record Empty() implements Content {}

    /** Data in no format the scanner recognises (or a file system too damaged to open). */
    public record Unrecognised(String reason) implements Content {}

    /** The volumes of a disk; problems with its partition table are reported to {@code findings}. */
    public static List<Volume> volumes(ByteSource disk, String diskName, Consumer<Finding> findings) {
        if (disk.size() < SECTOR * 2) {
            return List.of(new Volume(diskName, 0, disk.size(), "none", ""));
        }
        var first = disk.readFully(0, Math.toIntExact(Math.min(disk.size(), 2 * SECTOR)));
        boolean bootSignature = Le.u16(first, 510) == 0xAA55;
        if (!bootSignature || NtfsFileSystem.looksLikeNtfs(first) || looksLikeFatBootSector(first)) {
            return List.of(new Volume(diskName, 0, disk.size(), "none", ""));
        }
        List<long[]> entries = new ArrayList<>();
        boolean protective = false;
        for (int i = 0; i < 4; i++) {
            int at = 446 + i * 16;
            int status = Le.u8(first, at);
            int type = Le.u8(first, at + 4);
            long start = Le.u32(first, at + 8);
            long sectors = Le.u32(first, at + 12);
            if (type == 0 || sectors == 0) {
                continue;
            }
            if (status != 0 && status != 0x80) {
                // Not a partition table after all (a boot loader's code, say): treat the disk as one volume.
                return List.of(new Volume(diskName, 0, disk.size(), "none", ""));
            }
            if (type == 0xEE) {
                protective = true;
            }
            entries.add(new long[] {i + 1, type, start, sectors});
        }
        if (protective) {
            return gpt(disk, diskName, findings);
        }
        List<Volume> volumes = new ArrayList<>();
        for (var e : entries) {
            int type = (int) e[1];
            if (type == 0x05 || type == 0x0F || type == 0x85) {
                logical(disk, diskName, e[2], volumes, findings);
            } else {
                add(
                        disk,
                        diskName,
                        volumes,
                        findings,
                        new Volume(
                                diskName + " p" + e[0],
                                e[2] * SECTOR,
                                e[3] * SECTOR,
                                "mbr",
                                String.format(Locale.ROOT, "0x%02x", type)));
            }
        }
        return volumes;
    }

    private static boolean looksLikeFatBootSector(byte[] first) {
        return Le.ascii(first, 54, "FAT1") || Le.ascii(first, 82, "FAT32") || Le.ascii(first, 3, "EXFAT");
    }

    private static void add(
            ByteSource disk, String diskName, List<Volume> volumes, Consumer<Finding> findings, Volume volume) {
        if (volume.offset() + volume.length() > disk.size() || volume.offset() < 0) {
            findings.accept(Finding.error(
                    diskName,
                    volume.name() + " (" + volume.scheme() + ") extends past the end of " + "the disk ("
                            + (volume.offset() + volume.length()) + " > " + disk.size()
                            + " bytes); read up to the end"));
        }
        volumes.add(volume);
    }

    /** Follows the chain of extended boot records; logical partitions are numbered from 5, as Linux does. */
    private static void logical(
            ByteSource disk, String diskName, long extendedStart, List<Volume> volumes, Consumer<Finding> findings) {
        long ebr = extendedStart;
        int number = 5;
        for (int hops = 0; hops < 128; hops++) {
            if ((ebr + 1) * SECTOR > disk.size()) {
                findings.accept(Finding.error(
                        diskName, "extended boot record at sector " + ebr + " is past the end of the disk"));
                return;
            }
            var sector = disk.readFully(ebr * SECTOR, SECTOR);
            if (Le.u16(sector, 510) != 0xAA55) {
                findings.accept(Finding.error(diskName, "extended boot record at sector " + ebr + " has no signature"));
                return;
            }
            int type = Le.u8(sector, 446 + 4);
            long start = Le.u32(sector, 446 + 8);
            long sectors = Le.u32(sector, 446 + 12);
            if (type != 0 && sectors != 0) {
                add(
                        disk,
                        diskName,
                        volumes,
                        findings,
                        new Volume(
                                diskName + " p" + number++,
                                (ebr + start) * SECTOR,
                                sectors * SECTOR,
                                "mbr-logical",
                                String.format(Locale.ROOT, "0x%02x", type)));
            }
            long next = Le.u32(sector, 446 + 16 + 8);
            if (Le.u8(sector, 446 + 16 + 4) == 0 || next == 0) {
                return;
            }
            ebr = extendedStart + next;
        }
        findings.accept(Finding.error(diskName, "extended partition chain is longer than 128 entries (a loop?)"));
    }

    private static List<Volume> gpt(ByteSource disk, String diskName, Consumer<Finding> findings) {
        long lastLba = disk.size() / SECTOR - 1;
        var header = disk.readFully(SECTOR, SECTOR);
        String problem = gptProblem(disk, header);
        if (problem != null) {
            var backup = disk.readFully(lastLba * SECTOR, SECTOR);
            String backupProblem = gptProblem(disk, backup);
            if (backupProblem != null) {
                findings.accept(Finding.error(
                        diskName,
                        "GPT is damaged: primary header " + problem + ", backup header " + backupProblem
                                + "; the disk's partitions cannot be found"));
                return List.of();
            }
            findings.accept(Finding.error(diskName, "primary GPT header " + problem + "; read the backup header"));
            header = backup;
        }
        long entriesLba = Le.u64(header, 72);
        int count = (int) Le.u32(header, 80);
        int size = (int) Le.u32(header, 84);
        var table = disk.readFully(entriesLba * SECTOR, count * size);
        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = i * size;
            if (isZero(table, at, 16)) {
                continue;
            }
            long firstLba = Le.u64(table, at + 32);
            long last = Le.u64(table, at + 40);
            if (last < firstLba) {
                findings.accept(Finding.error(diskName, "GPT entry " + (i + 1) + " ends before it starts"));
                continue;
            }
            String guid = guid(table, at);
            var name = new String(table, at + 56, 72, StandardCharsets.UTF_16LE).replace("\0", "");
            add(
                    disk,
                    diskName,
                    volumes,
                    findings,
                    new Volume(
                            diskName + " p" + (i + 1),
                            firstLba * SECTOR,
                            (last - firstLba + 1) * SECTOR,
                            "gpt",
                            GPT_TYPES.getOrDefault(guid, guid) + (name.isEmpty() ? "" : " '" + name + "'")));
        }
        return volumes;
    }

    private static @org.jspecify.annotations.Nullable String gptProblem(ByteSource disk, byte[] header) {
        if (!Le.ascii(header, 0, "EFI PART")) {
            return "has no signature";
        }
        int headerSize = (int) Le.u32(header, 12);
        if (headerSize < 92 || headerSize > SECTOR) {
            return "has a bad size " + headerSize;
        }
        var copy = java.util.Arrays.copyOf(header, headerSize);
        copy[16] = copy[17] = copy[18] = copy[19] = 0;
        var crc = new CRC32();
        crc.update(copy);
        if (crc.getValue() != Le.u32(header, 16)) {
            return "fails its CRC";
        }
        long count = Le.u32(header, 80);
        long size = Le.u32(header, 84);
        if (count > 4096 || size < 128 || size > 4096 || Le.u64(header, 72) * SECTOR + count * size > disk.size()) {
            return "describes an impossible entry table";
        }
        var entries = disk.readFully(Le.u64(header, 72) * SECTOR, (int) (count * size));
        var entriesCrc = new CRC32();
        entriesCrc.update(entries);
        if (entriesCrc.getValue() != Le.u32(header, 88)) {
            return "has a partition table that fails its CRC";
        }
        return null;
    }

    private static String guid(byte[] b, int at) {
        var hex = HexFormat.of();
        return String.format(
                Locale.ROOT,
                "%08x-%04x-%04x-%s-%s",
                Le.u32(b, at),
                Le.u16(b, at + 4),
                Le.u16(b, at + 6),
                hex.formatHex(b, at + 8, at + 10),
                hex.formatHex(b, at + 10, at + 16));
    }

    private static boolean isZero(byte[] b, int at, int length) {
        for (int i = at; i < at + length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Finds out what a volume holds and opens it if it is a file system this scanner reads. */
    public static Content open(ByteSource volume, String location) {
        return probe(volume, location, true);
    }

    /** {@link #open(ByteSource, String)} for a logical volume, which is not followed into a physical volume it holds. */
    static Content openLogicalVolume(ByteSource logicalVolume, String location) {
        return probe(logicalVolume, location, false);
    }

    private static Content probe(ByteSource volume, String location, boolean lvm) {
        if (volume.size() < 4096) {
            return new Empty();
        }
        var start = volume.readFully(0, (int) Math.min(PROBE_BYTES, volume.size()));
        try {
            var container = container(volume, start, location, lvm);
            if (container != null) {
                return container;
            }
            if (NtfsFileSystem.looksLikeNtfs(start)) {
                return new Readable(NtfsFileSystem.open(volume, location));
            }
            if (Le.ascii(start, 0, XfsFileSystem.MAGIC)) {
                return new Readable(XfsFileSystem.open(volume, location));
            }
            if (looksLikeFatBootSector(start)) {
                return new Unsupported(Le.ascii(start, 3, "EXFAT") ? "exfat" : "fat");
            }
            if (Le.ascii(start, 4086, "SWAPSPACE2") || Le.ascii(start, 4086, "SWAP-SPACE")) {
                return new Swap();
            }
            var ext = ExtFileSystem.open(volume, location);
            if (ext.isPresent()) {
                return new Readable(ext.get());
            }
        } catch (CorruptFileSystemException e) {
            return new Unrecognised(String.valueOf(e.getMessage()));
        }
        return sampledZeros(volume, start) ? new Empty() : new Unrecognised("no file system recognised");
    }

    /** An encrypted volume or an LVM2 physical volume (a nested one inside a logical volume is only named), else null. */
    private static @Nullable Content container(ByteSource volume, byte[] start, String location, boolean lvm) {
        if (Le.ascii(start, 0, "LUKS\u00ba\u00be")) {
            return new Encrypted(Le.u8(start, 6) == 0 && Le.u8(start, 7) == 2 ? "luks2" : "luks1");
        }
        if (Le.ascii(start, 3, "-FVE-FS-")) {
            return new Encrypted("bitlocker");
        }
        if (Lvm2.labelSector(start) >= 0) {
            return lvm
                    ? Lvm2.open(volume, start, location)
                    : new Unsupported("lvm2 physical volume inside a logical volume");
        }
        return null;
    }

    /** Zeros at the start and at 64 places spread over the volume; a wiped header with data behind it is not empty. */
    private static boolean sampledZeros(ByteSource volume, byte[] start) {
        if (!isZero(start, 0, start.length)) {
            return false;
        }
        long step = volume.size() / 64;
        for (int i = 1; i < 64; i++) {
            long at = i * step / 4096 * 4096;
            var sample = volume.readFully(at, (int) Math.min(4096, volume.size() - at));
            if (!isZero(sample, 0, sample.length)) {
                return false;
            }
        }
        return true;
    }
}
