package io.cloudconnector.filesystems;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A read-only NTFS reader that walks the MFT record by record (no directory indexes needed): file names
 * and parents from {@code $FILE_NAME}, content from {@code $DATA} (resident, or non-resident run lists;
 * named streams too), attributes moved to extension records through {@code $ATTRIBUTE_LIST} collected by
 * their base record. Checks the boot sector, every record's update-sequence fixups, the MFT mirror, and
 * the volume's dirty flag. Compressed and EFS-encrypted streams are reported, not read.
 */
final class NtfsFileSystem implements FileSystem, Browsable {

    private static final int ROOT = 5;
    private static final int FIRST_USER_RECORD = 24;
    private static final int EXTEND = 11;
    private static final int AT_STANDARD_INFORMATION = 0x10;
    private static final int AT_FILE_NAME = 0x30;
    private static final int AT_VOLUME_INFORMATION = 0x70;
    private static final int AT_DATA = 0x80;
    private static final int AT_ATTRIBUTE_LIST = 0x20;
    private static final int AT_INDEX_ROOT = 0x90;
    private static final int AT_INDEX_ALLOCATION = 0xA0;
    private static final int AT_REPARSE_POINT = 0xC0;
    private static final String DIRECTORY_INDEX = "$I30";
    private static final int FILE_READONLY = 0x1;
    private static final int FILE_SYSTEM = 0x4;
    private static final int FILE_REPARSE_POINT = 0x400;
    private static final long REPARSE_SYMLINK = 0xA000000CL;
    private static final long REPARSE_MOUNT_POINT = 0xA0000003L;
    private static final long REPARSE_LX_SYMLINK = 0xA000001DL;
    private static final long REFERENCE_MASK = 0xFFFF_FFFF_FFFFL;
    private static final int MAX_EXTENSION_RECORDS = 4096;
    private static final int MAX_INDEX_BLOCKS = 1 << 20;
    private static final int MAX_LINK = 8192;
    private static final int FLAG_COMPRESSED = 0x0001;
    private static final int FLAG_ENCRYPTED = 0x4000;
    /** Windows file times count 100 ns since 1601; this many seconds lie between 1601 and 1970. */
    private static final long EPOCH_DIFF_SECONDS = 11_644_473_600L;

    private final ByteSource volume;
    private final String location;
    private final int clusterSize;
    private final int recordSize;
    private final long clusterCount;
    private final List<Finding> findings = new ArrayList<>();
    private final List<FileData.Run> mftRuns;
    private final long mftSize;
    /** The streams of every file the walk found, merged over base and extension records. */
    private final Map<Long, Map<String, Stream>> walked = new java.util.concurrent.ConcurrentHashMap<>();

    /** One stream of a file: resident bytes, or a run list with sizes. */
    private record Stream(String name, byte[] resident, List<FileData.Run> runs, long size, int flags) {}

    /** What the walk keeps of one file. */
    private static final class Record {
        long parent = -1;

        @org.jspecify.annotations.Nullable
        String name;

        int nameRank = -1;
        boolean directory;
        long modified;
        final Map<String, Stream> streams = new HashMap<>();
    }

    private NtfsFileSystem(ByteSource volume, String location, byte[] boot) {
        this.volume = volume;
        this.location = location;
        int bytesPerSector = Le.u16(boot, 11);
        int sectorsPerCluster = Le.u8(boot, 13);
        if (sectorsPerCluster > 0x80) {
            sectorsPerCluster = 1 << (256 - sectorsPerCluster);
        }
        if (Integer.bitCount(bytesPerSector) != 1
                || bytesPerSector < 256
                || bytesPerSector > 4096
                || sectorsPerCluster == 0
                || Integer.bitCount(sectorsPerCluster) != 1) {
            throw new CorruptFileSystemException("NTFS boot sector has impossible geometry (" + bytesPerSector
                    + " bytes per sector, " + sectorsPerCluster + " sectors per cluster)");
        }
        this.clusterSize = bytesPerSector * sectorsPerCluster;
        long sectors = Le.u64(boot, 40);
        this.clusterCount = sectors / sectorsPerCluster;
        int perRecord = (byte) boot[64];
        this.recordSize = perRecord < 0 ? 1 << -perRecord : perRecord * clusterSize;
        if (recordSize < 256 || recordSize > 65536) {
            throw new CorruptFileSystemException("NTFS boot sector gives an MFT record size of " + recordSize);
        }
        long mftCluster = Le.u64(boot, 48);
        if (mftCluster <= 0 || mftCluster >= clusterCount) {
            throw new CorruptFileSystemException("NTFS boot sector puts the MFT at cluster " + mftCluster);
        }
        var mftRecord = record(volume.readFully(mftCluster * clusterSize, recordSize), 0);
        var mftData = streams(mftRecord, 0).get("");
        if (mftData == null || mftData.runs().isEmpty()) {
            throw new CorruptFileSystemException("MFT record 0 has no $DATA runs");
        }
        this.mftRuns = mftData.runs();
        this.mftSize = mftData.size();
        checkMirror(Le.u64(boot, 56));
        checkVolumeFlags();
    }

    static boolean looksLikeNtfs(byte[] start) {
        return Le.ascii(start, 3, "NTFS    ");
    }

    static NtfsFileSystem open(ByteSource volume, String location) {
        return new NtfsFileSystem(volume, location, volume.readFully(0, 512));
    }

    @Override
    public String type() {
        return "ntfs";
    }

    @Override
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    private FileData mft() {
        return FileData.ofRuns(volume, mftSize, mftRuns);
    }

    private byte[] rawRecord(long number) {
        var bytes = new byte[recordSize];
        int n = mft().read(number * recordSize, bytes, 0, recordSize);
        if (n != recordSize) {
            throw new CorruptFileSystemException("MFT record " + number + " lies past the end of the MFT");
        }
        return bytes;
    }

    /** Applies the update-sequence fixups; a mismatch means a torn or damaged record. */
    private static byte[] record(byte[] bytes, long number) {
        return fixups(bytes, "FILE", "MFT record " + number);
    }

    /** Applies the update-sequence fixups of a multi-sector structure (an MFT record, an index block). */
    private static byte[] fixups(byte[] bytes, String signature, String what) {
        if (!Le.ascii(bytes, 0, signature)) {
            throw new CorruptFileSystemException(what + " has no " + signature + " signature");
        }
        int usaOffset = Le.u16(bytes, 4);
        int usaCount = Le.u16(bytes, 6);
        if (usaOffset + usaCount * 2 > bytes.length || (usaCount - 1) * 512 > bytes.length) {
            throw new CorruptFileSystemException(what + " has a bad update sequence array");
        }
        for (int i = 1; i < usaCount; i++) {
            int end = i * 512 - 2;
            if (bytes[end] != bytes[usaOffset] || bytes[end + 1] != bytes[usaOffset + 1]) {
                throw new CorruptFileSystemException(
                        what + " is torn (update sequence mismatch " + "in sector " + (i - 1) + ")");
            }
            bytes[end] = bytes[usaOffset + i * 2];
            bytes[end + 1] = bytes[usaOffset + i * 2 + 1];
        }
        return bytes;
    }

    private void checkMirror(long mirrorCluster) {
        if (mirrorCluster <= 0 || mirrorCluster >= clusterCount) {
            findings.add(Finding.error(location, "boot sector puts the MFT mirror at cluster " + mirrorCluster));
            return;
        }
        int records = Math.max(1, Math.min(4, clusterSize / recordSize));
        for (int i = 0; i < records; i++) {
            var mirror = volume.readFully(mirrorCluster * clusterSize + (long) i * recordSize, recordSize);
            var main = rawRecord(i);
            if (!Arrays.equals(main, mirror)) {
                findings.add(Finding.error(location, "MFT record " + i + " differs from its copy in $MFTMirr"));
            }
        }
    }

    private void checkVolumeFlags() {
        try {
            var volumeRecord = record(rawRecord(3), 3);
            forEachAttribute(volumeRecord, 3, (type, at) -> {
                if (type == AT_VOLUME_INFORMATION && volumeRecord[at + 8] == 0) {
                    int value = at + Le.u16(volumeRecord, at + 20);
                    int flags = Le.u16(volumeRecord, value + 10);
                    if ((flags & 0x1) != 0) {
                        findings.add(Finding.warning(
                                location,
                                "the volume is marked dirty (it was in use, or "
                                        + "Windows scheduled a check); chkdsk a restored copy before trusting it"));
                    }
                }
            });
        } catch (CorruptFileSystemException e) {
            findings.add(Finding.error(location, "$Volume cannot be read: " + e.getMessage()));
        }
    }

    private interface AttributeVisitor {
        void visit(int type, int at);
    }

    private static void forEachAttribute(byte[] record, long number, AttributeVisitor visitor) {
        int p = Le.u16(record, 20);
        int used = (int) Math.min(record.length, Le.u32(record, 24));
        while (p + 16 <= used) {
            long type = Le.u32(record, p);
            if (type == 0xFFFFFFFFL) {
                return;
            }
            long length = Le.u32(record, p + 4);
            if (length < 16 || p + length > used) {
                throw new CorruptFileSystemException("MFT record " + number + " has an attribute of length " + length);
            }
            visitor.visit((int) type, p);
            p += (int) length;
        }
    }

    private Map<String, Stream> streams(byte[] record, long number) {
        Map<String, Stream> streams = new HashMap<>();
        forEachAttribute(record, number, (type, at) -> {
            if (type == AT_DATA) {
                var stream = stream(record, at);
                streams.merge(stream.name(), stream, NtfsFileSystem::mergeExtents);
            }
        });
        return streams;
    }

    /** Non-resident attributes split over several records each hold part of the run list. */
    private static Stream mergeExtents(Stream a, Stream b) {
        var runs = new ArrayList<>(a.runs());
        runs.addAll(b.runs());
        return new Stream(a.name(), a.resident(), runs, Math.max(a.size(), b.size()), a.flags() | b.flags());
    }

    private Stream stream(byte[] record, int at) {
        int nameLength = Le.u8(record, at + 9);
        String name = Le.utf16(record, at + Le.u16(record, at + 10), nameLength);
        int flags = Le.u16(record, at + 12);
        if (record[at + 8] == 0) {
            long length = Le.u32(record, at + 16);
            int offset = at + Le.u16(record, at + 20);
            if (offset + length > record.length) {
                throw new CorruptFileSystemException("resident $DATA runs past its record");
            }
            return new Stream(
                    name, Arrays.copyOfRange(record, offset, offset + (int) length), List.of(), length, flags);
        }
        long startVcn = Le.u64(record, at + 16);
        int runsAt = at + Le.u16(record, at + 32);
        long realSize = Le.u64(record, at + 48);
        long initialized = Le.u64(record, at + 56);
        List<FileData.Run> runs = new ArrayList<>();
        long vcn = startVcn;
        long lcn = 0;
        int p = runsAt;
        while (p < record.length && record[p] != 0) {
            int header = Le.u8(record, p);
            int lengthBytes = header & 0xF;
            int offsetBytes = header >> 4;
            if (lengthBytes == 0
                    || lengthBytes > 8
                    || offsetBytes > 8
                    || p + 1 + lengthBytes + offsetBytes > record.length) {
                throw new CorruptFileSystemException("run list has a bad header 0x" + Integer.toHexString(header));
            }
            long clusters = Le.unsigned(record, p + 1, lengthBytes);
            long physical = -1;
            if (offsetBytes > 0) {
                lcn += Le.signed(record, p + 1 + lengthBytes, offsetBytes);
                if (lcn < 0 || lcn + clusters > clusterCount) {
                    throw new CorruptFileSystemException("run points outside the volume (cluster " + lcn + ")");
                }
                physical = lcn * clusterSize;
            }
            runs.add(new FileData.Run(vcn * clusterSize, physical, clusters * clusterSize));
            vcn += clusters;
            p += 1 + lengthBytes + offsetBytes;
        }
        if (initialized < realSize) {
            // Bytes past the initialized size read as zeros whatever the clusters hold.
            runs = clip(runs, initialized);
        }
        return new Stream(name, new byte[0], runs, realSize, flags);
    }

    private static List<FileData.Run> clip(List<FileData.Run> runs, long end) {
        List<FileData.Run> out = new ArrayList<>();
        for (var run : runs) {
            if (run.logical() >= end) {
                continue;
            }
            out.add(new FileData.Run(run.logical(), run.physical(), Math.min(run.length(), end - run.logical())));
        }
        return out;
    }

    @Override
    public void walk(Consumer<FileEntry> files, Consumer<Finding> problems) {
        long count = mftSize / recordSize;
        Map<Long, Record> records = new HashMap<>();
        for (long number = 0; number < count; number++) {
            byte[] bytes;
            try {
                bytes = rawRecord(number);
                if (!Le.ascii(bytes, 0, "FILE") && !Le.ascii(bytes, 0, "BAAD")) {
                    continue; // never used
                }
                if (Le.ascii(bytes, 0, "BAAD")) {
                    throw new CorruptFileSystemException("MFT record " + number + " was marked bad by chkdsk");
                }
                record(bytes, number);
            } catch (CorruptFileSystemException e) {
                problems.accept(Finding.error(location, String.valueOf(e.getMessage())));
                continue;
            }
            int flags = Le.u16(bytes, 22);
            if ((flags & 0x1) == 0) {
                continue;
            }
            long base = Le.u64(bytes, 32) & 0xFFFF_FFFF_FFFFL;
            long owner = base == 0 ? number : base;
            var record = records.computeIfAbsent(owner, k -> new Record());
            if (base == 0) {
                record.directory = (flags & 0x2) != 0;
            }
            try {
                collect(bytes, number, record);
            } catch (CorruptFileSystemException e) {
                problems.accept(Finding.error(location, "MFT record " + number + ": " + e.getMessage()));
            }
        }
        Map<Long, String> paths = new HashMap<>();
        for (var entry : records.entrySet()) {
            long number = entry.getKey();
            var record = entry.getValue();
            if (record.directory || number < FIRST_USER_RECORD || record.name == null) {
                continue;
            }
            String path = path(number, records, paths);
            if (path.startsWith("$Extend/")) {
                continue;
            }
            walked.put(number, Map.copyOf(record.streams));
            for (var stream : record.streams.values()) {
                if ((stream.flags() & (FLAG_COMPRESSED | FLAG_ENCRYPTED)) != 0) {
                    problems.accept(Finding.warning(
                            location,
                            "/" + path + " is "
                                    + ((stream.flags() & FLAG_ENCRYPTED) != 0 ? "EFS-encrypted" : "NTFS-compressed")
                                    + "; its content was not scanned"));
                    continue;
                }
                String streamPath = stream.name().isEmpty() ? path : path + ":" + stream.name();
                files.accept(new FileEntry(
                        streamPath,
                        stream.size(),
                        record.modified,
                        number,
                        stream.name().isEmpty()
                                ? FileEntry.MAIN_STREAM
                                : stream.name().hashCode()));
            }
        }
    }

    private void collect(byte[] bytes, long number, Record record) {
        forEachAttribute(bytes, number, (type, at) -> {
            if (type == AT_FILE_NAME && bytes[at + 8] == 0) {
                int value = at + Le.u16(bytes, at + 20);
                int namespace = Le.u8(bytes, value + 65);
                // Prefer the Win32 (or POSIX) name over the 8.3 DOS alias.
                int rank = namespace == 2 ? 0 : 1;
                if (rank > record.nameRank) {
                    int length = Le.u8(bytes, value + 64);
                    record.name = Le.utf16(bytes, value + 66, length);
                    record.parent = Le.u64(bytes, value) & 0xFFFF_FFFF_FFFFL;
                    record.nameRank = rank;
                }
            } else if (type == AT_STANDARD_INFORMATION && bytes[at + 8] == 0) {
                int value = at + Le.u16(bytes, at + 20);
                long fileTime = Le.u64(bytes, value + 8);
                record.modified = fileTime / 10_000_000L - EPOCH_DIFF_SECONDS;
            } else if (type == AT_DATA) {
                var stream = stream(bytes, at);
                record.streams.merge(stream.name(), stream, NtfsFileSystem::mergeExtents);
            }
        });
    }

    private static String path(long number, Map<Long, Record> records, Map<Long, String> memo) {
        var names = new ArrayList<String>();
        long current = number;
        for (int depth = 0; depth < 1024; depth++) {
            String known = memo.get(current);
            if (known != null) {
                names.add(known);
                break;
            }
            var record = records.get(current);
            if (record == null || record.name == null) {
                names.add("$Orphan");
                break;
            }
            if (record.parent == ROOT || current == ROOT) {
                names.add(record.name);
                break;
            }
            if (record.parent == EXTEND) {
                names.add(record.name);
                names.add("$Extend");
                break;
            }
            names.add(record.name);
            current = record.parent;
        }
        var path = new StringBuilder();
        for (int i = names.size() - 1; i >= 0; i--) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(names.get(i));
        }
        memo.put(number, path.toString());
        return path.toString();
    }

    @Override
    public FileData open(FileEntry file) {
        var streams = walked.get(file.reference());
        if (streams == null) {
            var record = new Record();
            collect(record(rawRecord(file.reference()), file.reference()), file.reference(), record);
            streams = record.streams;
        }
        String name = file.stream() == FileEntry.MAIN_STREAM
                ? ""
                : file.path().substring(file.path().lastIndexOf(':') + 1);
        var stream = streams.get(name);
        if (stream == null) {
            throw new CorruptFileSystemException(
                    "MFT record " + file.reference() + " has no $DATA stream '" + name + "'");
        }
        if (stream.resident().length > 0 || stream.runs().isEmpty()) {
            return FileData.inline(stream.resident(), stream.size());
        }
        return FileData.ofRuns(volume, stream.size(), stream.runs());
    }

    // Browsing: a directory is listed from its $I30 index (the B+tree of its entries' $FILE_NAMEs), each entry's own
    // record read for its type, size, time and attributes; nothing else of the MFT is read.

    /** One attribute of a file: its type, name, and where its header starts in the record that holds it. */
    private record Attribute(int type, String name, byte[] record, int at) {

        boolean resident() {
            return record[at + 8] == 0;
        }
    }

    /** A file's base record flags and its attributes, gathered from its base and extension records. */
    private record FileRecord(long number, boolean directory, List<Attribute> attributes) {}

    private FileRecord fileRecord(long number) {
        var base = record(rawRecord(number), number);
        int flags = Le.u16(base, 22);
        if ((flags & 0x1) == 0) {
            throw new CorruptFileSystemException("MFT record " + number + " is not in use");
        }
        if ((Le.u64(base, 32) & REFERENCE_MASK) != 0) {
            throw new CorruptFileSystemException("MFT record " + number + " is an extension record, not a file");
        }
        List<Attribute> attributes = new ArrayList<>();
        collectAttributes(base, number, attributes);
        var extensions = new java.util.TreeSet<Long>();
        for (var list : List.copyOf(attributes)) {
            if (list.type() != AT_ATTRIBUTE_LIST) {
                continue;
            }
            var bytes = value(attributes, list, 1 << 20);
            int p = 0;
            while (p + 26 <= bytes.length) {
                int length = Le.u16(bytes, p + 4);
                if (length < 26 || p + length > bytes.length) {
                    throw new CorruptFileSystemException(
                            "MFT record " + number + " has an attribute list entry of length " + length);
                }
                long reference = Le.u64(bytes, p + 16) & REFERENCE_MASK;
                if (reference != number) {
                    extensions.add(reference);
                }
                p += length;
            }
        }
        if (extensions.size() > MAX_EXTENSION_RECORDS) {
            throw new CorruptFileSystemException(
                    "MFT record " + number + " lists " + extensions.size() + " extension records");
        }
        for (long extension : extensions) {
            var bytes = record(rawRecord(extension), extension);
            if ((Le.u64(bytes, 32) & REFERENCE_MASK) != number) {
                throw new CorruptFileSystemException(
                        "MFT record " + extension + " is listed as an extension of " + number + " but is not one");
            }
            collectAttributes(bytes, extension, attributes);
        }
        return new FileRecord(number, (flags & 0x2) != 0, attributes);
    }

    private static void collectAttributes(byte[] record, long number, List<Attribute> out) {
        forEachAttribute(record, number, (type, at) -> {
            int nameLength = Le.u8(record, at + 9);
            int nameAt = at + Le.u16(record, at + 10);
            if (nameAt + nameLength * 2 > record.length) {
                throw new CorruptFileSystemException("MFT record " + number + " has an attribute name past its end");
            }
            out.add(new Attribute(type, Le.utf16(record, nameAt, nameLength), record, at));
        });
    }

    /** The first attribute of {@code type} named {@code name}, if any. */
    private static java.util.Optional<Attribute> find(List<Attribute> attributes, int type, String name) {
        return attributes.stream()
                .filter(a -> a.type() == type && a.name().equals(name))
                .findFirst();
    }

    /** The value of a resident attribute. */
    private static byte[] resident(Attribute a) {
        if (!a.resident()) {
            throw new CorruptFileSystemException("attribute 0x" + Integer.toHexString(a.type()) + " is not resident");
        }
        long length = Le.u32(a.record(), a.at() + 16);
        int offset = a.at() + Le.u16(a.record(), a.at() + 20);
        if (offset + length > a.record().length) {
            throw new CorruptFileSystemException(
                    "attribute 0x" + Integer.toHexString(a.type()) + " runs past its record");
        }
        return Arrays.copyOfRange(a.record(), offset, offset + (int) length);
    }

    /** The whole value of an attribute (resident, or non-resident over one or more extents), at most {@code max}. */
    private byte[] value(List<Attribute> attributes, Attribute a, int max) {
        if (a.resident()) {
            return resident(a);
        }
        var data = data(attributes, a.type(), a.name());
        if (data.size() > max) {
            throw new CorruptFileSystemException(
                    "attribute 0x" + Integer.toHexString(a.type()) + " of " + data.size() + " bytes is implausible");
        }
        return data.head(max);
    }

    /** The stream of every attribute of {@code type} named {@code name}, extents merged; null if there is none. */
    private @org.jspecify.annotations.Nullable Stream stream(List<Attribute> attributes, int type, String name) {
        Stream merged = null;
        for (var a : attributes) {
            if (a.type() == type && a.name().equals(name)) {
                var stream = stream(a.record(), a.at());
                merged = merged == null ? stream : mergeExtents(merged, stream);
            }
        }
        return merged;
    }

    private FileData data(List<Attribute> attributes, int type, String name) {
        var stream = stream(attributes, type, name);
        if (stream == null) {
            throw new CorruptFileSystemException("has no attribute 0x" + Integer.toHexString(type) + " '" + name + "'");
        }
        if (stream.resident().length > 0 || stream.runs().isEmpty()) {
            return FileData.inline(stream.resident(), stream.size());
        }
        return FileData.ofRuns(volume, stream.size(), stream.runs());
    }

    @Override
    public Node root() {
        return node(fileRecord(ROOT), "", "/");
    }

    @Override
    public List<Node> list(Node directory) {
        var dir = fileRecord(directory.reference());
        if (!dir.directory()) {
            throw new CorruptFileSystemException("is not a directory");
        }
        String base = directory.path().endsWith("/") ? directory.path() : directory.path() + "/";
        List<Node> nodes = new ArrayList<>();
        var seen = new java.util.HashSet<String>();
        for (var entry : index(dir)) {
            if (entry.reference() == dir.number()
                    || (dir.number() == ROOT && entry.reference() < FIRST_USER_RECORD)
                    || !seen.add(entry.name())) {
                continue; // The root's own entry, the metadata files ($MFT, $Extend...), or a name indexed twice.
            }
            nodes.add(node(fileRecord(entry.reference()), entry.name(), base + entry.name()));
        }
        return nodes;
    }

    @Override
    public FileData content(Node node) {
        var file = fileRecord(node.reference());
        String target = node.target();
        if (node.type() == Node.Type.SYMLINK && target != null) {
            return FileData.inline(target.getBytes(java.nio.charset.StandardCharsets.UTF_8), node.size());
        }
        if (file.directory()) {
            throw new CorruptFileSystemException("is a directory");
        }
        var stream = stream(file.attributes(), AT_DATA, "");
        if (stream == null) {
            throw new CorruptFileSystemException("MFT record " + file.number() + " has no $DATA");
        }
        if ((stream.flags() & FLAG_ENCRYPTED) != 0) {
            throw new CorruptFileSystemException("is EFS-encrypted: it cannot be read without its owner's key");
        }
        if ((stream.flags() & FLAG_COMPRESSED) != 0) {
            throw new CorruptFileSystemException("is NTFS-compressed, which this reader does not decompress");
        }
        return data(file.attributes(), AT_DATA, "");
    }

    /** A directory index entry: the file it names (record number) and the name (not the 8.3 DOS alias). */
    private record IndexEntry(long reference, String name) {}

    /** The entries of a directory's $I30 index: its root, then every index block the tree reaches. */
    private List<IndexEntry> index(FileRecord dir) {
        var root = find(dir.attributes(), AT_INDEX_ROOT, DIRECTORY_INDEX)
                .orElseThrow(() -> new CorruptFileSystemException(
                        "directory (MFT record " + dir.number() + ") has no $I30 index root"));
        var value = resident(root);
        if (value.length < 32) {
            throw new CorruptFileSystemException("index root of " + value.length + " bytes");
        }
        long blockSize = Le.u32(value, 8);
        List<IndexEntry> out = new ArrayList<>();
        var pending = new ArrayDeque<Long>();
        entries(value, 16, value.length, out, pending);
        if (pending.isEmpty()) {
            return out;
        }
        if (blockSize < 512 || blockSize > 65536 || Long.bitCount(blockSize) != 1) {
            throw new CorruptFileSystemException("index block size " + blockSize + " is impossible");
        }
        var allocation = data(dir.attributes(), AT_INDEX_ALLOCATION, DIRECTORY_INDEX);
        // Index block numbers (VCNs) count clusters, or 512-byte units when a block is smaller than a cluster.
        long unit = blockSize >= clusterSize ? clusterSize : 512;
        var visited = new java.util.HashSet<Long>();
        var block = new byte[(int) blockSize];
        while (!pending.isEmpty()) {
            long vcn = pending.pop();
            if (!visited.add(vcn)) {
                throw new CorruptFileSystemException("index block " + vcn + " is reached twice");
            }
            if (visited.size() > MAX_INDEX_BLOCKS || vcn < 0 || vcn > allocation.size() / unit) {
                throw new CorruptFileSystemException("index block " + vcn + " lies outside the index");
            }
            if (allocation.read(vcn * unit, block, 0, block.length) != block.length) {
                throw new CorruptFileSystemException("index block " + vcn + " lies past the end of the index");
            }
            var fixed = fixups(block.clone(), "INDX", "index block " + vcn + " of MFT record " + dir.number());
            entries(fixed, 24, fixed.length, out, pending);
        }
        return out;
    }

    /**
     * The entries of one index node (its header at {@code header}: offset of the first entry and the used size,
     * both from the header); the sub-nodes they point to are added to {@code pending}.
     */
    private static void entries(byte[] b, int header, int limit, List<IndexEntry> out, ArrayDeque<Long> pending) {
        long first = header + Le.u32(b, header);
        long end = Math.min(limit, header + Le.u32(b, header + 4));
        if (first < header + 16 || first > end) {
            throw new CorruptFileSystemException("index node's entries start at byte " + first);
        }
        int p = (int) first;
        while (true) {
            if (p + 16 > end) {
                throw new CorruptFileSystemException("index entry at byte " + p + " runs past its node");
            }
            int length = Le.u16(b, p + 8);
            int keyLength = Le.u16(b, p + 10);
            int flags = Le.u16(b, p + 12);
            if (length < 16 || length % 8 != 0 || p + length > end || keyLength > length - 16) {
                throw new CorruptFileSystemException("index entry at byte " + p + " has length " + length);
            }
            if ((flags & 0x1) != 0) {
                if (length < 24) {
                    throw new CorruptFileSystemException("index entry at byte " + p + " has no room for its sub-node");
                }
                pending.push(Le.u64(b, p + length - 8));
            }
            if ((flags & 0x2) != 0) {
                return; // The last entry: no key, only (perhaps) the sub-node of the greatest names.
            }
            int key = p + 16;
            if (keyLength < 66 || key + 66 + Le.u8(b, key + 64) * 2 > p + length) {
                throw new CorruptFileSystemException("index entry at byte " + p + " has a key of " + keyLength);
            }
            int namespace = Le.u8(b, key + 65);
            if (namespace != 2) { // Not the 8.3 DOS alias (a Win32 name of the same file is indexed too).
                out.add(new IndexEntry(Le.u64(b, p) & REFERENCE_MASK, Le.utf16(b, key + 66, Le.u8(b, key + 64))));
            }
            p += length;
        }
    }

    /**
     * A file as a listing shows it. NTFS keeps no POSIX owner or mode: uid and gid are 0, and the mode is 0755 for a
     * directory, 0644 for a file, without the write bits for a read-only one, 0777 for a link. Links are symbolic links
     * and junctions (reparse points) and the Interix links ntfs-3g makes (system files holding {@code IntxLNK}).
     */
    private Node node(FileRecord file, String name, String path) {
        long modifiedTime = 0;
        long attributes = 0;
        var information = find(file.attributes(), AT_STANDARD_INFORMATION, "");
        if (information.isPresent()) {
            var value = resident(information.get());
            if (value.length >= 36) {
                modifiedTime = Le.u64(value, 8);
                attributes = Le.u32(value, 32);
            }
        }
        long seconds = Math.floorDiv(modifiedTime, 10_000_000L) - EPOCH_DIFF_SECONDS;
        int nanos = (int) Math.floorMod(modifiedTime, 10_000_000L) * 100;
        if (file.directory()) {
            int mode = (attributes & FILE_READONLY) != 0 ? 0555 : 0755;
            return new Node(name, path, Node.Type.DIR, 0, mode, 0, 0, seconds, nanos, null, file.number());
        }
        var data = stream(file.attributes(), AT_DATA, "");
        long size = data == null ? 0 : data.size();
        String target = null;
        boolean link = false;
        var reparse = find(file.attributes(), AT_REPARSE_POINT, "");
        if ((attributes & FILE_REPARSE_POINT) != 0 && reparse.isPresent()) {
            var value = value(file.attributes(), reparse.get(), 65536);
            long tag = value.length >= 8 ? Le.u32(value, 0) : 0;
            link = tag == REPARSE_SYMLINK || tag == REPARSE_MOUNT_POINT || tag == REPARSE_LX_SYMLINK;
            if (link) {
                target = reparseTarget(tag, value);
            }
        } else if ((attributes & FILE_SYSTEM) != 0 && data != null && size >= 10 && size <= 8 + 2L * MAX_LINK) {
            var head = data(file.attributes(), AT_DATA, "").head((int) size);
            if (Le.ascii(head, 0, "IntxLNK\u0001")) {
                link = true;
                target = Le.utf16(head, 8, (head.length - 8) / 2);
            }
        }
        if (link) {
            long length = target == null ? 0 : target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return new Node(name, path, Node.Type.SYMLINK, length, 0777, 0, 0, seconds, nanos, target, file.number());
        }
        int mode = (attributes & FILE_READONLY) != 0 ? 0444 : 0644;
        return new Node(name, path, Node.Type.FILE, size, mode, 0, 0, seconds, nanos, null, file.number());
    }

    /** A link's target from its reparse data: the print name of a symlink or junction, the UTF-8 of a WSL link. */
    private static @org.jspecify.annotations.Nullable String reparseTarget(long tag, byte[] value) {
        try {
            if (tag == REPARSE_LX_SYMLINK) {
                return value.length <= 12
                        ? null
                        : new String(value, 12, value.length - 12, java.nio.charset.StandardCharsets.UTF_8);
            }
            // Tag, data length, reserved; then substitute name offset/length, print name offset/length (bytes),
            // a flags word for symlinks only, then the path buffer.
            int buffer = 8 + 8 + (tag == REPARSE_SYMLINK ? 4 : 0);
            int printOffset = Le.u16(value, 12);
            int printLength = Le.u16(value, 14);
            if (buffer + printOffset + printLength > value.length) {
                return null;
            }
            return Le.utf16(value, buffer + printOffset, printLength / 2);
        } catch (RuntimeException e) {
            return null; // A link whose target cannot be read is still listed, without its target.
        }
    }
}
