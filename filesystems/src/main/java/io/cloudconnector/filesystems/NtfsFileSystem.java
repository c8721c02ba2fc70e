package io.cloudconnector.filesystems;

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
final class NtfsFileSystem implements FileSystem {

    private static final int ROOT = 5;
    private static final int FIRST_USER_RECORD = 24;
    private static final int EXTEND = 11;
    private static final int AT_STANDARD_INFORMATION = 0x10;
    private static final int AT_FILE_NAME = 0x30;
    private static final int AT_VOLUME_INFORMATION = 0x70;
    private static final int AT_DATA = 0x80;
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
        if (!Le.ascii(bytes, 0, "FILE")) {
            throw new CorruptFileSystemException("MFT record " + number + " has no FILE signature");
        }
        int usaOffset = Le.u16(bytes, 4);
        int usaCount = Le.u16(bytes, 6);
        if (usaOffset + usaCount * 2 > bytes.length || (usaCount - 1) * 512 > bytes.length) {
            throw new CorruptFileSystemException("MFT record " + number + " has a bad update sequence array");
        }
        for (int i = 1; i < usaCount; i++) {
            int end = i * 512 - 2;
            if (bytes[end] != bytes[usaOffset] || bytes[end + 1] != bytes[usaOffset + 1]) {
                throw new CorruptFileSystemException(
                        "MFT record " + number + " is torn (update sequence mismatch " + "in sector " + (i - 1) + ")");
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
}
