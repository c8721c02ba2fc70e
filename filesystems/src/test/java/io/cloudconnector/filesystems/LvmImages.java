package io.cloudconnector.filesystems;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * LVM2 physical volumes written byte for byte in the layout of LVM2's {@code label.h} and
 * {@code format_text/layout.h} — label in sector 1, PV header, metadata area header at 4 KiB with one raw
 * location, the volume group's text metadata, each with LVM's CRC — because {@code pvcreate} and
 * {@code lvcreate} need a block device (a loop device, so root) and device-mapper. Extents are 4 MiB and
 * start at 1 MiB, as {@code pvcreate} lays them out by default. {@link #lvm2ToolsPhysicalVolume} is the
 * exception: the first MiB of a physical volume that the real tools wrote.
 */
public final class LvmImages {

    public static final long MIB = 1 << 20;
    public static final long EXTENT = 4 * MIB;
    public static final long PE_START = MIB;
    static final String PV_UUID = "c2bYd8s5hSzK28ISn05SneCVoG2kOgMH";
    private static final long MDA_START = 4096;

    private LvmImages() {}

    /** {@code extents} extents of this physical volume from {@code pvExtent} hold the logical volume's extents from {@code start}. */
    public record Segment(long start, long extents, long pvExtent, String pv) {
        public Segment(long start, long extents, long pvExtent) {
            this(start, extents, pvExtent, "pv0");
        }
    }

    /** A linear logical volume's metadata: its segments in any order. */
    public static String linear(String name, Segment... segments) {
        var out = new StringBuilder(header(name, segments.length));
        for (int i = 0; i < segments.length; i++) {
            var s = segments[i];
            out.append("segment")
                    .append(i + 1)
                    .append(" {\nstart_extent = ")
                    .append(s.start())
                    .append("\nextent_count = ")
                    .append(s.extents())
                    .append("\n\ntype = \"striped\"\nstripe_count = 1\t# linear\n\nstripes = [\n\"")
                    .append(s.pv())
                    .append("\", ")
                    .append(s.pvExtent())
                    .append("\n]\n}\n");
        }
        return out.append("}\n").toString();
    }

    /** A logical volume striped over {@code pvExtents.length} extents of this physical volume, 64 KiB at a time. */
    public static String striped(String name, long extents, long... pvExtents) {
        var stripes = new StringBuilder();
        for (int i = 0; i < pvExtents.length; i++) {
            stripes.append(i == 0 ? "" : ",\n").append("\"pv0\", ").append(pvExtents[i]);
        }
        return header(name, 1) + "segment1 {\nstart_extent = 0\nextent_count = " + extents
                + "\n\ntype = \"striped\"\nstripe_count = " + pvExtents.length + "\nstripe_size = 128\n\nstripes = [\n"
                + stripes + "\n]\n}\n}\n";
    }

    /** A thin pool whose data and metadata are hidden linear volumes, and a thin volume in it. */
    public static String thin(String pool, String thinVolume, long dataExtent, long metadataExtent) {
        return header(pool, 1) + "segment1 {\nstart_extent = 0\nextent_count = 1\n\ntype = \"thin-pool\"\n"
                + "metadata = \"" + pool + "_tmeta\"\npool = \"" + pool + "_tdata\"\ntransaction_id = 1\n"
                + "chunk_size = 128\ndiscards = \"passdown\"\nzero_new_blocks = 1\n}\n}\n"
                + header(thinVolume, 1) + "segment1 {\nstart_extent = 0\nextent_count = 4\n\ntype = \"thin\"\n"
                + "thin_pool = \"" + pool + "\"\ntransaction_id = 0\ndevice_id = 1\n}\n}\n"
                + hidden(linear(pool + "_tdata", new Segment(0, 1, dataExtent)))
                + hidden(linear(pool + "_tmeta", new Segment(0, 1, metadataExtent)));
    }

    private static String hidden(String lv) {
        return lv.replace("\"VISIBLE\"", "\"HIDDEN_IN_TEST\"");
    }

    private static String header(String name, int segments) {
        return name + " {\nid = \"" + name.hashCode()
                + "-test\"\nstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\nflags = []\n"
                + "creation_time = 1796616807\t# 2026-12-07 04:13:27 +0000\ncreation_host = \"test\"\nsegment_count = "
                + segments + "\n\n";
    }

    /**
     * Writes the LVM2 label and metadata of a physical volume {@code pv0} of volume group {@code vg} at
     * {@code offset} of {@code image} ({@code size} bytes of physical volume), with {@code logicalVolumes}
     * (from {@link #linear} and friends); {@code otherPvs} names physical volumes of the group not in the image.
     */
    public static void physicalVolume(
            Path image, long offset, long size, String vg, List<String> logicalVolumes, String... otherPvs) {
        var others = new StringBuilder();
        for (var other : otherPvs) {
            others.append("\n")
                    .append(other)
                    .append(" {\nid = \"aaaaaa-bbbb-cccc-dddd-eeee-ffff-")
                    .append(other)
                    .append(
                            "0000\"\ndevice = \"/dev/xvdf\"\n\nstatus = [\"ALLOCATABLE\"]\nflags = []\ndev_size = 2097152\n"
                                    + "pe_start = 2048\npe_count = 255\n}\n");
        }
        String text = vg + " {\nid = \"ec7f2y-OHB8-CUs1-UIq0-1UjH-qI37-RQytx4\"\nseqno = 3\nformat = \"lvm2\"\n"
                + "status = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\nflags = []\nextent_size = " + EXTENT / 512
                + "\nmax_lv = 0\nmax_pv = 0\nmetadata_copies = 0\n\nphysical_volumes {\n\npv0 {\nid = \""
                + dashed(PV_UUID) + "\"\ndevice = \"/dev/xvda2\"\n\nstatus = [\"ALLOCATABLE\"]\nflags = []\n"
                + "dev_size = " + size / 512 + "\npe_start = " + PE_START / 512 + "\npe_count = "
                + (size - PE_START) / EXTENT + "\n}\n" + others + "}\n\nlogical_volumes {\n\n"
                + String.join("\n", logicalVolumes) + "}\n\n}\n# Generated by LvmImages\n\n"
                + "contents = \"Text Format Volume Group\"\nversion = 1\n\ndescription = \"\"\n\n"
                + "creation_host = \"test\"\t# Linux test\ncreation_time = 1796616813\t# Mon Dec  7 04:13:33 2026\n\n\0";
        var metadata = text.getBytes(StandardCharsets.UTF_8);
        long ring = PE_START - MDA_START;
        // Sector 1: label header, then the PV header (UUID, size, data area list, metadata area list).
        var label = le(512);
        label.put("LABELONE".getBytes(StandardCharsets.US_ASCII))
                .putLong(1)
                .putInt(0)
                .putInt(32)
                .put("LVM2 001".getBytes(StandardCharsets.US_ASCII))
                .put(PV_UUID.getBytes(StandardCharsets.US_ASCII))
                .putLong(size)
                .putLong(PE_START)
                .putLong(0)
                .putLong(0)
                .putLong(0)
                .putLong(MDA_START)
                .putLong(ring)
                .putLong(0)
                .putLong(0);
        label.putInt(16, Lvm2.crc(Lvm2.INITIAL_CRC, label.array(), 20, 512 - 20));
        // The metadata area header, pointing at one copy just after it.
        var mda = le(512);
        mda.putInt(0)
                .put(Lvm2.MDA_MAGIC.getBytes(StandardCharsets.US_ASCII))
                .putInt(1)
                .putLong(MDA_START)
                .putLong(ring)
                .putLong(512)
                .putLong(metadata.length)
                .putInt(Lvm2.crc(Lvm2.INITIAL_CRC, metadata, 0, metadata.length))
                .putInt(0);
        mda.putInt(0, Lvm2.crc(Lvm2.INITIAL_CRC, mda.array(), 4, 512 - 4));
        DiskImages.overwrite(image, offset + 512, label.array());
        DiskImages.overwrite(image, offset + MDA_START, mda.array());
        DiskImages.overwrite(image, offset + MDA_START + 512, metadata);
    }

    /**
     * The first MiB of a 64 MiB physical volume written by LVM2 2.03.16 ({@code pvcreate}, {@code vgcreate vgt},
     * {@code lvcreate -L 8M -n lva}, {@code lvcreate -L 8M -n lvb}, {@code lvextend -L +4M vgt/lva}, on a loop
     * device with activation off): 4 MiB extents from 1 MiB, {@code lva} on extents 0–1 and 4, {@code lvb} on
     * 2–3, and the five older copies of the metadata still in the ring before the newest.
     */
    public static byte[] lvm2ToolsPhysicalVolume() {
        try (var in = new GZIPInputStream(LvmImages.class.getResourceAsStream("/lvm/lvm2-tools-pv-metadata.img.gz"))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the extents of {@code volume} (a file-system image) to where {@code segments} put them in the physical volume at {@code pvOffset}. */
    public static void placeExtents(Path volume, Path image, long pvOffset, Segment... segments) {
        var source = DiskImages.source(volume);
        for (var s : segments) {
            long length = Math.min(s.extents() * EXTENT, source.size() - s.start() * EXTENT);
            if (length > 0) {
                var bytes = source.readFully(s.start() * EXTENT, Math.toIntExact(length));
                DiskImages.overwrite(image, pvOffset + PE_START + s.pvExtent() * EXTENT, bytes);
            }
        }
    }

    /** A LUKS header as {@code cryptsetup luksFormat --type luks2} starts it (magic, version, header size, label). */
    public static byte[] luks2Header() {
        var header = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);
        header.put("LUKS".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 0xBA)
                .put((byte) 0xBE)
                .putShort((short) 2)
                .putLong(16384)
                .putLong(1)
                .put("test".getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }

    /** A LUKS1 header's start: magic, version 1, cipher name and mode. */
    public static byte[] luks1Header() {
        var header = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);
        header.put("LUKS".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 0xBA)
                .put((byte) 0xBE)
                .putShort((short) 1)
                .put(padded("aes", 32))
                .put(padded("xts-plain64", 32));
        return header.array();
    }

    /** A BitLocker volume's boot sector: a jump, the {@code -FVE-FS-} signature where NTFS has its name, and the boot signature. */
    public static byte[] bitlockerBootSector() {
        var sector = le(512);
        sector.put(new byte[] {(byte) 0xEB, 0x58, (byte) 0x90})
                .put("-FVE-FS-".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 512)
                .put((byte) 8);
        sector.putShort(510, (short) 0xAA55);
        return sector.array();
    }

    private static byte[] padded(String s, int length) {
        return java.util.Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), length);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String dashed(String uuid) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        for (int length : new int[] {6, 4, 4, 4, 4, 4, 6}) {
            parts.add(uuid.substring(at, at + length));
            at += length;
        }
        return String.join("-", parts);
    }
}
