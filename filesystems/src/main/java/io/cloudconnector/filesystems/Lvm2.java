package io.cloudconnector.filesystems;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An LVM2 physical volume read without device-mapper: the label ({@code LABELONE} in one of the first four
 * sectors), the PV header with its data and metadata areas, each metadata area's header and the newest
 * copy of the volume group's text metadata it points to (checked against their CRCs), and the logical
 * volumes that have extents on this physical volume. A linear logical volume (segments of type
 * {@code striped} with one stripe, in any order on the physical volume) becomes a {@link ByteSource} that
 * maps its bytes to the physical volume's extents, opened like any volume; every other layout is named and
 * left unread.
 *
 * <p>It is longer than the usual 450 lines because it is one on-disk format (label, PV header, metadata area, the text
 * metadata's parser and the segment map) whose parts share its bounds checks.
 */
final class Lvm2 {

    static final int SECTOR = 512;
    static final int LABEL_SCAN_SECTORS = 4;
    static final String LABEL_ID = "LABELONE";
    static final String LABEL_TYPE = "LVM2 001";
    static final String MDA_MAGIC = " LVM2 x[5A%r0N*>";
    static final int INITIAL_CRC = 0xf597a6cf;
    static final int MDA_HEADER_SIZE = 512;
    private static final int MAX_AREAS = 16;
    private static final int MAX_RAW_LOCNS = (MDA_HEADER_SIZE - 40) / 24;
    /** Text metadata larger than this is not LVM's (it writes a few KiB per volume group). */
    private static final int MAX_METADATA = 16 << 20;

    private static final int MAX_SEGMENTS = 100_000;

    private static final int[] CRC_TABLE = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
        0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c
    };

    private Lvm2() {}

    /** LVM's CRC-32 (reflected polynomial 0xedb88320, no final inversion) from {@code initial}. */
    static int crc(int initial, byte[] b, int at, int length) {
        int crc = initial;
        for (int i = at; i < at + length; i++) {
            crc ^= b[i] & 0xFF;
            crc = crc >>> 4 ^ CRC_TABLE[crc & 0xF];
            crc = crc >>> 4 ^ CRC_TABLE[crc & 0xF];
        }
        return crc;
    }

    /** The sector of the first {@code start} bytes holding an LVM2 label, or -1. */
    static int labelSector(byte[] start) {
        for (int s = 0; s < LABEL_SCAN_SECTORS; s++) {
            if (Le.ascii(start, s * SECTOR, LABEL_ID) && Le.ascii(start, s * SECTOR + 24, LABEL_TYPE)) {
                return s;
            }
        }
        return -1;
    }

    /** A segment of a logical volume: {@code extents} extents from {@code start} that lie at {@code pvExtent} of a physical volume. */
    private record Segment(
            long start,
            long extents,
            String type,
            int stripes,
            @Nullable String pv,
            long pvExtent) {}

    /** Reads the physical volume starting with {@code start} (its first bytes) and names or opens its logical volumes. */
    static Disks.PhysicalVolume open(ByteSource pv, byte[] start, String location) {
        int labelSector = labelSector(start);
        if (labelSector < 0) {
            throw new CorruptFileSystemException("no LVM2 label in the first " + LABEL_SCAN_SECTORS + " sectors");
        }
        int label = labelSector * SECTOR;
        if (Le.u64(start, label + 8) != labelSector) {
            throw new CorruptFileSystemException(
                    "LVM2 label in sector " + labelSector + " says it is in sector " + Le.u64(start, label + 8));
        }
        if (crc(INITIAL_CRC, start, label + 20, SECTOR - 20) != (int) Le.u32(start, label + 16)) {
            throw new CorruptFileSystemException("LVM2 label fails its CRC");
        }
        long headerOffset = Le.u32(start, label + 20);
        if (headerOffset < 32 || headerOffset + 40 + 2 * 16 > SECTOR) {
            throw new CorruptFileSystemException(
                    "LVM2 label puts the PV header at an impossible offset " + headerOffset);
        }
        int header = label + (int) headerOffset;
        String uuid = new String(start, header, 32, StandardCharsets.US_ASCII);
        // Two lists of (offset, size), each ended by a zero entry: data areas, then metadata areas.
        List<long[]> metadataAreas = new ArrayList<>();
        int at = header + 40;
        for (int list = 0; list < 2; list++) {
            for (int n = 0; ; n++) {
                if (at + 16 > label + SECTOR || n > MAX_AREAS) {
                    throw new CorruptFileSystemException("LVM2 PV header's area lists do not end within its sector");
                }
                long offset = Le.u64(start, at);
                long size = Le.u64(start, at + 8);
                at += 16;
                if (offset == 0 && size == 0) {
                    break;
                }
                if (list == 1) {
                    metadataAreas.add(new long[] {offset, size});
                }
            }
        }
        Map<String, Object> newestCopy = null;
        long newest = -1;
        List<String> problems = new ArrayList<>();
        for (var area : metadataAreas) {
            try {
                for (var text : metadata(pv, area[0], area[1])) {
                    var candidate = Config.parse(text);
                    long seqno =
                            vgSection(candidate).getValue() instanceof Map<?, ?> vg && vg.get("seqno") instanceof Long n
                                    ? n
                                    : 0;
                    if (seqno > newest) {
                        newest = seqno;
                        newestCopy = candidate;
                    }
                }
            } catch (CorruptFileSystemException e) {
                problems.add(e.getMessage());
            }
        }
        if (newestCopy == null) {
            throw new CorruptFileSystemException("LVM2 physical volume " + uuid + " has no readable metadata"
                    + (problems.isEmpty() ? " (no metadata area)" : ": " + String.join("; ", problems)));
        }
        return volumeGroup(pv, location, uuid, newestCopy);
    }

    /** The metadata copies a metadata area's header points to (its raw locations that are not marked ignored). */
    private static List<String> metadata(ByteSource pv, long mdaStart, long mdaSize) {
        if (mdaStart < 0 || mdaSize < 2L * MDA_HEADER_SIZE || mdaStart > pv.size() - mdaSize) {
            throw new CorruptFileSystemException("metadata area " + mdaStart + "+" + mdaSize + " lies outside the "
                    + pv.size() + "-byte physical volume");
        }
        var mda = pv.readFully(mdaStart, MDA_HEADER_SIZE);
        if (crc(INITIAL_CRC, mda, 4, MDA_HEADER_SIZE - 4) != (int) Le.u32(mda, 0)) {
            throw new CorruptFileSystemException("metadata area header at " + mdaStart + " fails its CRC");
        }
        if (!Le.ascii(mda, 4, MDA_MAGIC)
                || Le.u32(mda, 20) != 1
                || Le.u64(mda, 24) != mdaStart
                || Le.u64(mda, 32) != mdaSize) {
            throw new CorruptFileSystemException(
                    "metadata area header at " + mdaStart + " is not LVM2's format 1 " + "or describes another area");
        }
        List<String> copies = new ArrayList<>();
        for (int i = 0; i < MAX_RAW_LOCNS; i++) {
            int r = 40 + i * 24;
            long offset = Le.u64(mda, r);
            long size = Le.u64(mda, r + 8);
            if (offset == 0) {
                break;
            }
            if ((Le.u32(mda, r + 20) & 1) != 0) {
                continue; // RAW_LOCN_IGNORED: this area is kept but not used
            }
            long ring = mdaSize - MDA_HEADER_SIZE;
            if (offset < MDA_HEADER_SIZE || offset >= mdaSize || size <= 0 || size > ring || size > MAX_METADATA) {
                throw new CorruptFileSystemException(
                        "metadata at " + offset + "+" + size + " does not fit its " + mdaSize + "-byte area");
            }
            // The area after its header is a ring: a copy may wrap around to just after the header.
            long first = Math.min(size, mdaSize - offset);
            var bytes = new byte[(int) size];
            System.arraycopy(pv.readFully(mdaStart + offset, (int) first), 0, bytes, 0, (int) first);
            if (first < size) {
                System.arraycopy(
                        pv.readFully(mdaStart + MDA_HEADER_SIZE, (int) (size - first)), 0, bytes, (int) first, (int)
                                (size - first));
            }
            if (crc(INITIAL_CRC, bytes, 0, bytes.length) != (int) Le.u32(mda, r + 16)) {
                throw new CorruptFileSystemException("metadata at " + (mdaStart + offset) + " fails its CRC");
            }
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] == 0) {
                end--;
            }
            copies.add(new String(bytes, 0, end, StandardCharsets.UTF_8));
        }
        return copies;
    }

    private static Map.Entry<String, Object> vgSection(Map<String, Object> root) {
        for (var e : root.entrySet()) {
            if (e.getValue() instanceof Map<?, ?>) {
                return e;
            }
        }
        throw new CorruptFileSystemException("LVM2 metadata holds no volume group");
    }

    private static Disks.PhysicalVolume volumeGroup(
            ByteSource pv, String location, String uuid, Map<String, Object> root) {
        var entry = vgSection(root);
        String vgName = entry.getKey();
        var vg = section(entry.getValue(), vgName);
        long extentSectors = number(vg, "extent_size", vgName);
        if (extentSectors <= 0 || extentSectors > (1L << 32)) {
            throw new CorruptFileSystemException(
                    "volume group " + vgName + " has an impossible extent size " + extentSectors);
        }
        long extentBytes = extentSectors * SECTOR;
        String found = null;
        long peStart = 0;
        for (var pvEntry : section(vg.get("physical_volumes"), vgName + " physical_volumes")
                .entrySet()) {
            var pvSection = section(pvEntry.getValue(), pvEntry.getKey());
            if (pvSection.get("id") instanceof String id && id.replace("-", "").equals(uuid)) {
                found = pvEntry.getKey();
                peStart = number(pvSection, "pe_start", pvEntry.getKey());
            }
        }
        if (found == null) {
            throw new CorruptFileSystemException(
                    "this physical volume (" + uuid + ") is not in the metadata of " + "volume group " + vgName);
        }
        String thisPv = found;
        if (peStart < 0 || peStart > pv.size() / SECTOR) {
            throw new CorruptFileSystemException("physical volume " + thisPv + " of " + vgName + " has its first "
                    + "extent at sector " + peStart + ", past its end");
        }
        var lvs = vg.get("logical_volumes") == null
                ? Map.<String, Object>of()
                : section(vg.get("logical_volumes"), vgName + " logical_volumes");
        Map<String, List<Segment>> segments = new LinkedHashMap<>();
        Set<String> cowStores = new HashSet<>();
        Set<String> visible = new HashSet<>();
        int total = 0;
        for (var lv : lvs.entrySet()) {
            var lvSection = section(lv.getValue(), lv.getKey());
            if (lvSection.get("status") instanceof List<?> status && status.contains("VISIBLE")) {
                visible.add(lv.getKey());
            }
            List<Segment> list = new ArrayList<>();
            for (var seg : lvSection.entrySet()) {
                if (!seg.getKey().startsWith("segment") || !(seg.getValue() instanceof Map<?, ?>)) {
                    continue;
                }
                if (++total > MAX_SEGMENTS) {
                    throw new CorruptFileSystemException(
                            "volume group " + vgName + " has more than " + MAX_SEGMENTS + " segments");
                }
                var s = section(seg.getValue(), lv.getKey() + " " + seg.getKey());
                String type = s.get("type") instanceof String t ? t : "";
                long first = number(s, "start_extent", lv.getKey());
                long count = number(s, "extent_count", lv.getKey());
                if ("snapshot".equals(type) && s.get("cow_store") instanceof String cow) {
                    cowStores.add(cow);
                }
                int stripes = 0;
                String onPv = null;
                long pvExtent = -1;
                if ("striped".equals(type)) {
                    stripes = (int) Math.clamp(number(s, "stripe_count", lv.getKey()), -1, Integer.MAX_VALUE);
                    if (s.get("stripes") instanceof List<?> where
                            && where.size() >= 2
                            && where.get(0) instanceof String p
                            && where.get(1) instanceof Long e) {
                        onPv = p;
                        pvExtent = e;
                    }
                }
                list.add(new Segment(first, count, type, stripes, onPv, pvExtent));
            }
            list.sort(Comparator.comparingLong(Segment::start));
            segments.put(lv.getKey(), list);
        }
        List<Disks.LogicalVolume> out = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (var lv : segments.entrySet()) {
            String name = lv.getKey();
            if (!visible.contains(name) && !cowStores.contains(name)) {
                continue; // internal (a pool's data, a mirror's image...): reported as part of the visible volume
            }
            var segs = lv.getValue();
            String full = location + " " + vgName + "/" + name;
            long bytes = 0; // as the metadata says, saturating: only a linear volume's is checked against the disk
            for (var s : segs) {
                if (s.extents() > 0) {
                    bytes = s.extents() > (Long.MAX_VALUE - bytes) / extentBytes
                            ? Long.MAX_VALUE
                            : bytes + s.extents() * extentBytes;
                }
            }
            if (!segs.isEmpty() && segs.stream().allMatch(s -> s.pv() != null && !thisPv.equals(s.pv()))) {
                findings.add(Finding.info(
                        full, "lies wholly on other physical volumes of " + vgName + "; scanned where those are"));
                continue;
            }
            String layout = layout(segs, cowStores.contains(name));
            if (!layout.equals("linear")) {
                out.add(new Disks.LogicalVolume(full, layout, bytes, -1, new Disks.Unsupported(layout)));
                continue;
            }
            var elsewhere = segs.stream()
                    .map(Segment::pv)
                    .filter(p -> !thisPv.equals(p))
                    .distinct()
                    .toList();
            if (!elsewhere.isEmpty()) {
                String why = "lvm-multi-pv (extents on " + String.join(", ", elsewhere)
                        + ", which this physical volume does not hold)";
                out.add(new Disks.LogicalVolume(full, "linear", bytes, -1, new Disks.Unsupported(why)));
                continue;
            }
            String problem = linearProblem(pv, full, segs, peStart * SECTOR, extentBytes);
            long offset = segs.isEmpty() || problem != null
                    ? -1
                    : peStart * SECTOR + segs.getFirst().pvExtent() * extentBytes;
            out.add(new Disks.LogicalVolume(
                    full,
                    "linear",
                    bytes,
                    offset,
                    problem != null
                            ? new Disks.Unrecognised(problem)
                            : Disks.openLogicalVolume(
                                    new LinearVolume(pv, segs, peStart * SECTOR, extentBytes), full)));
        }
        return new Disks.PhysicalVolume(vgName, thisPv, List.copyOf(out), List.copyOf(findings));
    }

    /** {@code linear}, or the name a layout this reader does not follow is reported under. */
    private static String layout(List<Segment> segments, boolean cowStore) {
        if (cowStore) {
            return "lvm-snapshot";
        }
        for (var s : segments) {
            if (!s.type().equals("striped")) {
                return "lvm-"
                        + (s.type().isEmpty()
                                ? "unknown-segment"
                                : s.type().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+_.-]", "_"));
            }
            if (s.stripes() != 1) {
                return "lvm-striped";
            }
        }
        return "linear";
    }

    /** Why the segments of a linear logical volume cannot be followed, or null when they can. */
    private static @Nullable String linearProblem(
            ByteSource pv, String name, List<Segment> segments, long dataStart, long extentBytes) {
        long next = 0;
        long extentsOnPv = (pv.size() - dataStart) / extentBytes;
        for (int i = 0; i < segments.size(); i++) {
            var s = segments.get(i);
            if (s.start() != next || s.extents() <= 0 || s.pvExtent() < 0) {
                return "segment " + (i + 1) + " of " + name + " does not continue the volume at extent " + next;
            }
            if (s.pvExtent() > extentsOnPv || s.extents() > extentsOnPv - s.pvExtent()) {
                return "extents " + s.pvExtent() + "+" + s.extents() + " of " + name + " lie past the end of the "
                        + pv.size() + "-byte physical volume";
            }
            next = s.start() + s.extents();
        }
        return null;
    }

    /** A linear logical volume: its segments, in order, each a run of the physical volume's extents. */
    private static final class LinearVolume implements ByteSource {
        private final ByteSource pv;
        private final long[] starts;
        private final long[] physical;
        private final long size;

        LinearVolume(ByteSource pv, List<Segment> segments, long dataStart, long extentBytes) {
            this.pv = pv;
            this.starts = new long[segments.size()];
            this.physical = new long[segments.size()];
            for (int i = 0; i < segments.size(); i++) {
                starts[i] = segments.get(i).start() * extentBytes;
                physical[i] = dataStart + segments.get(i).pvExtent() * extentBytes;
            }
            this.size = segments.stream().mapToLong(Segment::extents).sum() * extentBytes;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) {
            if (position >= size || position < 0) {
                return -1;
            }
            int i = Arrays.binarySearch(starts, position);
            i = i >= 0 ? i : -i - 2;
            long segmentEnd = i + 1 < starts.length ? starts[i + 1] : size;
            int n = (int) Math.min(length, segmentEnd - position);
            return pv.read(physical[i] + position - starts[i], buffer, offset, n);
        }
    }

    private static Map<String, Object> section(@Nullable Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            var section = (Map<String, Object>) m;
            return section;
        }
        throw new CorruptFileSystemException("LVM2 metadata: " + what + " is not a section");
    }

    private static long number(Map<String, Object> section, String key, String where) {
        if (section.get(key) instanceof Long n) {
            return n;
        }
        throw new CorruptFileSystemException("LVM2 metadata: " + where + " has no number " + key);
    }

    /**
     * LVM's text metadata: {@code name = value} and {@code name { ... }}, where a value is an integer, a
     * quoted string or a bracketed list of values; {@code #} starts a comment.
     */
    static final class Config {
        private static final int MAX_DEPTH = 16;
        private final String text;
        private int at;

        private Config(String text) {
            this.text = text;
        }

        static Map<String, Object> parse(String text) {
            var config = new Config(text);
            var root = config.section(0);
            config.skip();
            if (config.at < text.length()) {
                throw config.error("unexpected '" + text.charAt(config.at) + "'");
            }
            return root;
        }

        private Map<String, Object> section(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("sections nested deeper than " + MAX_DEPTH);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                skip();
                if (at >= text.length() || text.charAt(at) == '}') {
                    return out;
                }
                String key = identifier();
                skip();
                if (at < text.length() && text.charAt(at) == '{') {
                    at++;
                    out.put(key, section(depth + 1));
                    skip();
                    if (at >= text.length() || text.charAt(at) != '}') {
                        throw error("section " + key + " does not end");
                    }
                    at++;
                } else if (at < text.length() && text.charAt(at) == '=') {
                    at++;
                    out.put(key, value(true));
                } else {
                    throw error("expected '=' or '{' after " + key);
                }
            }
        }

        private Object value(boolean listAllowed) {
            skip();
            if (at >= text.length()) {
                throw error("value expected");
            }
            char c = text.charAt(at);
            if (c == '"') {
                var out = new StringBuilder();
                at++;
                while (at < text.length() && text.charAt(at) != '"') {
                    if (text.charAt(at) == '\\' && at + 1 < text.length()) {
                        at++;
                    }
                    out.append(text.charAt(at++));
                }
                if (at >= text.length()) {
                    throw error("string does not end");
                }
                at++;
                return out.toString();
            }
            if (c == '[' && listAllowed) {
                at++;
                List<Object> list = new ArrayList<>();
                skip();
                if (at < text.length() && text.charAt(at) == ']') {
                    at++;
                    return list;
                }
                while (true) {
                    list.add(value(false));
                    skip();
                    if (at < text.length() && text.charAt(at) == ',') {
                        at++;
                    } else if (at < text.length() && text.charAt(at) == ']') {
                        at++;
                        return list;
                    } else {
                        throw error("list does not end");
                    }
                }
            }
            int begin = at;
            if (c == '-') {
                at++;
            }
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            String token = text.substring(begin, at);
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException e) {
                if (token.matches("-?[0-9]+\\.[0-9]+")) {
                    return token; // a float (LVM writes none in volume group metadata)
                }
                throw error("not a value: '" + token + "'");
            }
        }

        private String identifier() {
            int begin = at;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '+')) {
                    break;
                }
                at++;
            }
            if (at == begin) {
                throw error("name expected");
            }
            return text.substring(begin, at);
        }

        private void skip() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '#') {
                    while (at < text.length() && text.charAt(at) != '\n') {
                        at++;
                    }
                } else if (Character.isWhitespace(c)) {
                    at++;
                } else {
                    return;
                }
            }
        }

        private CorruptFileSystemException error(String what) {
            return new CorruptFileSystemException("LVM2 metadata: " + what + " at character " + at);
        }
    }
}
