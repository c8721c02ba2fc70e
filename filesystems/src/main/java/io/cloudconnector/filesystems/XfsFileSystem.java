package io.cloudconnector.filesystems;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A read-only XFS reader, version 4 and version 5 (CRC-enabled) on-disk formats: superblock and allocation
 * groups, v1/v2/v3 inodes, data forks kept inline, as extent lists or as extent B+trees (BMAP/BMA3),
 * directories in every form (shortform in the inode; block, leaf, node and B+tree directories are read
 * through their data blocks, XD2B/XD2D/XDB3/XDD3, which hold every entry, so their hash indexes need not
 * be followed), the file-type byte of entries, symlinks inline and remote, holes and unwritten extents
 * (zeros). Every count and size on the volume is bounded before it is used. Checksums are not required:
 * the superblock's is checked and reported, the rest are not, so a damaged checksum does not hide files.
 *
 * <p>It is longer than the usual 450 lines because it is one on-disk format: inodes, forks, btrees and the directory
 * forms share the geometry and the bounds checks taken from the superblock.
 */
final class XfsFileSystem implements FileSystem, Browsable {

    static final String MAGIC = "XFSB";

    private static final int FORMAT_LOCAL = 1;
    private static final int FORMAT_EXTENTS = 2;
    private static final int FORMAT_BTREE = 3;
    private static final int VERSION_NUMBITS = 0xF;
    private static final int VERSION_DIRV2 = 0x2000;
    private static final int VERSION_MOREBITS = 0x8000;
    private static final long FEATURES2_FTYPE = 0x200;
    private static final long INCOMPAT_FTYPE = 0x1;
    private static final long INCOMPAT_NEEDSREPAIR = 0x10;
    /** ftype, sparse inodes, meta uuid, bigtime, needsrepair, nrext64: all handled or harmless to a reader. */
    private static final long INCOMPAT_KNOWN = 0x3F;

    private static final int DIFLAG_REALTIME = 0x1;
    private static final long DIFLAG2_BIGTIME = 0x8;
    private static final long DIFLAG2_NREXT64 = 0x10;
    /** Directory data blocks live below this file offset; the hash index (leaf, node, free blocks) above it. */
    private static final long DIR_LEAF_OFFSET = 32L << 30;

    private static final long MAX_DIRECTORY_BYTES = 1L << 30;
    private static final int MAX_EXTENTS = 1 << 22;
    private static final int MAX_BTREE_LEVELS = 9;
    private static final int MAX_SYMLINK = 1024;
    private static final int MAX_DEPTH = 256;
    /** Seconds between the bigtime epoch (the smallest 32-bit time, in 1901) and 1970. */
    private static final long BIGTIME_EPOCH_OFFSET = 1L << 31;

    private final ByteSource volume;
    private final String location;
    private final List<Finding> findings = new ArrayList<>();
    private final int version;
    private final int blockSize;
    private final long dataBlocks;
    private final long agBlocks;
    private final long agCount;
    private final int agBlockLog;
    private final int inodeSize;
    private final int inodesPerBlockLog;
    private final int dirBlockSize;
    private final long rootInode;
    private final boolean fileTypes;

    private XfsFileSystem(ByteSource volume, String location, byte[] sb) {
        this.volume = volume;
        this.location = location;
        int versionNum = be16(sb, 100);
        this.version = versionNum & VERSION_NUMBITS;
        if (version != 4 && version != 5) {
            throw new CorruptFileSystemException(
                    "XFS superblock has version " + version + "; only versions 4 and 5 are read");
        }
        if (version == 4 && (versionNum & VERSION_DIRV2) == 0) {
            throw new CorruptFileSystemException("XFS uses version 1 directories, which this reader does not read");
        }
        this.blockSize = (int) Le.be32(sb, 4);
        int blockLog = Le.u8(sb, 120);
        this.dataBlocks = be64(sb, 8);
        this.agBlocks = Le.be32(sb, 84);
        this.agCount = Le.be32(sb, 88);
        this.agBlockLog = Le.u8(sb, 124);
        this.inodeSize = be16(sb, 104);
        int inodeLog = Le.u8(sb, 122);
        int inodesPerBlock = be16(sb, 106);
        this.inodesPerBlockLog = Le.u8(sb, 123);
        int dirBlockLog = Le.u8(sb, 192);
        if (blockSize < 512
                || blockSize > 65536
                || blockSize != 1 << blockLog
                || inodeSize < 256
                || inodeSize > 2048
                || inodeSize != 1 << inodeLog
                || inodeSize > blockSize
                || inodesPerBlock != blockSize / inodeSize
                || inodesPerBlock != 1 << inodesPerBlockLog
                || agBlocks < 16
                || agCount < 1
                || agCount > 1 << 24
                || agBlockLog > 31
                || agBlocks > 1L << agBlockLog
                || agBlocks <= 1L << agBlockLog >> 1
                || dataBlocks < 1
                || dataBlocks > agBlocks * agCount
                || dirBlockLog > 8
                || (long) blockSize << dirBlockLog > 65536) {
            throw new CorruptFileSystemException("XFS superblock has impossible geometry (block size " + blockSize
                    + ", inode size " + inodeSize + ", " + agCount + " groups of " + agBlocks + " blocks)");
        }
        this.dirBlockSize = blockSize << dirBlockLog;
        this.rootInode = be64(sb, 56);
        long features2 = (versionNum & VERSION_MOREBITS) != 0 ? Le.be32(sb, 200) : 0;
        long incompat = version == 5 ? Le.be32(sb, 216) : 0;
        this.fileTypes = version == 5 ? (incompat & INCOMPAT_FTYPE) != 0 : (features2 & FEATURES2_FTYPE) != 0;
        checkState(sb, incompat);
    }

    /** Opens the XFS file system at the start of {@code volume}. */
    static XfsFileSystem open(ByteSource volume, String location) {
        var sb = volume.readFully(0, 512);
        if (!Le.ascii(sb, 0, MAGIC)) {
            throw new CorruptFileSystemException("no XFS superblock magic");
        }
        return new XfsFileSystem(volume, location, sb);
    }

    private void checkState(byte[] sb, long incompat) {
        if (version == 4) {
            findings.add(Finding.info(location, "XFS version 4 (no metadata checksums)"));
        } else {
            int sectorSize = be16(sb, 102);
            if (sectorSize >= 512 && sectorSize <= 32768 && sectorSize <= volume.size()) {
                var sector = volume.readFully(0, sectorSize);
                var copy = sector.clone();
                Arrays.fill(copy, 224, 228, (byte) 0);
                var crc = new CRC32C();
                crc.update(copy);
                if (crc.getValue() == Le.u32(sector, 224)) {
                    findings.add(Finding.info(location, "superblock checksum verified"));
                } else {
                    findings.add(Finding.error(location, "XFS superblock fails its checksum; read anyway"));
                }
            }
        }
        if (Le.u8(sb, 126) != 0) {
            findings.add(Finding.error(
                    location, "XFS superblock says the file system was never finished (mkfs in " + "progress)"));
        }
        if ((incompat & INCOMPAT_NEEDSREPAIR) != 0) {
            findings.add(Finding.error(
                    location,
                    "the file system is marked as needing repair: run xfs_repair on a "
                            + "restored copy before trusting it"));
        }
        long unknown = incompat & ~INCOMPAT_KNOWN;
        if (unknown != 0) {
            findings.add(Finding.warning(
                    location,
                    "uses unknown incompatible XFS features 0x" + Long.toHexString(unknown)
                            + "; files may be read wrongly"));
        }
        if (be64(sb, 16) != 0) {
            findings.add(Finding.warning(
                    location,
                    "has a realtime section on a separate device: files stored there " + "cannot be scanned"));
        }
        if (be64(sb, 48) == 0) {
            findings.add(Finding.info(location, "log is on an external device; not checked"));
        }
    }

    @Override
    public String type() {
        return "xfs";
    }

    @Override
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    @Override
    public void walk(Consumer<FileEntry> files, Consumer<Finding> problems) {
        record Dir(long inode, String path, int depth) {}
        Set<Long> seen = new HashSet<>();
        var pending = new ArrayDeque<Dir>();
        pending.push(new Dir(rootInode, "", 0));
        while (!pending.isEmpty()) {
            var dir = pending.pop();
            if (!seen.add(dir.inode()) || dir.depth() > MAX_DEPTH) {
                continue;
            }
            List<DirEntry> entries;
            try {
                entries = readDirectory(dir.inode());
            } catch (CorruptFileSystemException e) {
                problems.accept(Finding.error(
                        location,
                        "directory /" + dir.path() + " (inode " + dir.inode() + ") cannot be read: " + e.getMessage()));
                continue;
            }
            for (var entry : entries) {
                String path = dir.path().isEmpty() ? entry.name() : dir.path() + "/" + entry.name();
                try {
                    var inode = inode(entry.inode());
                    int mode = be16(inode, 2) & 0xF000;
                    if (mode == 0x4000) {
                        pending.push(new Dir(entry.inode(), path, dir.depth() + 1));
                    } else if (mode == 0x8000) {
                        files.accept(new FileEntry(
                                path, size(inode), modified(inode), entry.inode(), FileEntry.MAIN_STREAM));
                    }
                } catch (CorruptFileSystemException e) {
                    problems.accept(Finding.error(
                            location, "/" + path + " (inode " + entry.inode() + ") cannot be read: " + e.getMessage()));
                }
            }
        }
    }

    @Override
    public FileData open(FileEntry file) {
        var inode = inode(file.reference());
        if ((be16(inode, 90) & DIFLAG_REALTIME) != 0) {
            throw new CorruptFileSystemException("is stored on the realtime device, which is not part of this volume");
        }
        return data(inode);
    }

    @Override
    public Node root() {
        return node(rootInode, inode(rootInode), "", "/");
    }

    @Override
    public List<Node> list(Node directory) {
        var entries = readDirectory(directory.reference());
        String base = directory.path().endsWith("/") ? directory.path() : directory.path() + "/";
        List<Node> nodes = new ArrayList<>(entries.size());
        for (var entry : entries) {
            nodes.add(node(entry.inode(), inode(entry.inode()), entry.name(), base + entry.name()));
        }
        return nodes;
    }

    @Override
    public FileData content(Node node) {
        var inode = inode(node.reference());
        if ((be16(inode, 2) & 0xF000) == 0xA000) {
            return FileData.inline(readLink(node.reference()).getBytes(StandardCharsets.UTF_8), node.size());
        }
        if ((be16(inode, 90) & DIFLAG_REALTIME) != 0) {
            throw new CorruptFileSystemException("is stored on the realtime device, which is not part of this volume");
        }
        return data(inode);
    }

    /**
     * An inode as a listing shows it: type and permissions from {@code di_mode}, the 32-bit owner and group, the
     * modification time with its nanoseconds (or from the 64-bit nanosecond count of a bigtime inode).
     */
    private Node node(long number, byte[] inode, String name, String path) {
        int mode = be16(inode, 2);
        var type = switch (mode & 0xF000) {
            case 0x8000 -> Node.Type.FILE;
            case 0x4000 -> Node.Type.DIR;
            case 0xA000 -> Node.Type.SYMLINK;
            default -> Node.Type.OTHER;
        };
        long seconds;
        int nanos;
        if ((flags2(inode) & DIFLAG2_BIGTIME) != 0) {
            long count = be64(inode, 40);
            seconds = Long.divideUnsigned(count, 1_000_000_000L) - BIGTIME_EPOCH_OFFSET;
            nanos = (int) Long.remainderUnsigned(count, 1_000_000_000L);
        } else {
            seconds = (int) Le.be32(inode, 40);
            nanos = (int) Math.min(999_999_999L, Le.be32(inode, 44));
        }
        String target = null;
        if (type == Node.Type.SYMLINK) {
            try {
                target = readLink(number);
            } catch (CorruptFileSystemException e) {
                // A link whose target cannot be read is still listed, without its target.
            }
        }
        return new Node(
                name,
                path,
                type,
                size(inode),
                mode & 07777,
                Le.be32(inode, 8),
                Le.be32(inode, 12),
                seconds,
                nanos,
                target,
                number);
    }

    /** The target of a symbolic link (inline in the inode, or in remote blocks). */
    String readLink(long number) {
        var inode = inode(number);
        if ((be16(inode, 2) & 0xF000) != 0xA000) {
            throw new CorruptFileSystemException("is not a symbolic link");
        }
        long size = size(inode);
        if (size > MAX_SYMLINK) {
            throw new CorruptFileSystemException("symbolic link of " + size + " bytes is implausible");
        }
        if (Le.u8(inode, 5) == FORMAT_LOCAL) {
            return new String(data(inode).head((int) size), StandardCharsets.UTF_8);
        }
        // Remote: whole blocks; on v5 each starts with an XSLM header giving how many bytes it holds, except
        // where mkfs.xfs (6.1 and older) copied a protofile's link into bare blocks, as on v4.
        var out = new java.io.ByteArrayOutputStream();
        var data = FileData.ofRuns(volume, Long.MAX_VALUE, runs(inode));
        var block = new byte[blockSize];
        for (long at = 0; out.size() < size; at += blockSize) {
            if (at > MAX_SYMLINK * 2L + blockSize) {
                throw new CorruptFileSystemException("symbolic link blocks do not add up to its size");
            }
            data.read(at, block, 0, blockSize);
            int start = 0;
            int length = (int) Math.min(blockSize, size - out.size());
            if (version == 5 && Le.ascii(block, 0, "XSLM")) {
                start = 56;
                length = (int) Le.be32(block, 8);
                if (length < 0 || length > blockSize - start || length > size - out.size()) {
                    throw new CorruptFileSystemException("remote symbolic link block holds " + length + " bytes");
                }
            }
            out.write(block, start, length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** An entry of a directory, other than {@code .} and {@code ..}. */
    record DirEntry(long inode, String name) {}

    List<DirEntry> readDirectory(long number) {
        var inode = inode(number);
        if ((be16(inode, 2) & 0xF000) != 0x4000) {
            throw new CorruptFileSystemException("is not a directory");
        }
        List<DirEntry> entries = new ArrayList<>();
        int format = Le.u8(inode, 5);
        if (format == FORMAT_LOCAL) {
            shortform(fork(inode), size(inode), entries);
            return entries;
        }
        if (format != FORMAT_EXTENTS && format != FORMAT_BTREE) {
            throw new CorruptFileSystemException("directory has data fork format " + format);
        }
        List<FileData.Run> dataRuns = new ArrayList<>();
        long total = 0;
        long end = 0;
        for (var run : runs(inode)) {
            if (run.logical() >= DIR_LEAF_OFFSET || run.physical() < 0) {
                continue;
            }
            total += run.length();
            if (total > MAX_DIRECTORY_BYTES) {
                throw new CorruptFileSystemException(
                        "directory of more than " + MAX_DIRECTORY_BYTES + " bytes is implausible");
            }
            dataRuns.add(run);
            end = Math.max(end, Math.min(DIR_LEAF_OFFSET, run.logical() + run.length()));
        }
        // The directory blocks that hold anything: multi-block directory blocks may be spread over runs.
        var blocks = new TreeSet<Long>();
        for (var run : dataRuns) {
            long last = Math.min(run.logical() + run.length(), DIR_LEAF_OFFSET);
            for (long at = run.logical() / dirBlockSize * dirBlockSize; at < last; at += dirBlockSize) {
                blocks.add(at);
            }
        }
        var data = FileData.ofRuns(volume, end, dataRuns);
        var block = new byte[dirBlockSize];
        for (long at : blocks) {
            Arrays.fill(block, (byte) 0);
            data.read(at, block, 0, dirBlockSize);
            try {
                dataBlock(block, entries);
            } catch (CorruptFileSystemException e) {
                throw new CorruptFileSystemException("directory block at offset " + at + ": " + e.getMessage());
            }
        }
        return entries;
    }

    /** Entries kept in the inode: count, 8-byte-inode count, parent, then name length, offset, name, type, inode. */
    private void shortform(byte[] fork, long size, List<DirEntry> out) {
        if (size < 6 || size > fork.length) {
            throw new CorruptFileSystemException(
                    "shortform directory of " + size + " bytes in a fork of " + fork.length);
        }
        int length = (int) size;
        int count = Le.u8(fork, 0);
        int inodeBytes = Le.u8(fork, 1) == 0 ? 4 : 8;
        int p = 2 + inodeBytes;
        for (int i = 0; i < count; i++) {
            if (p + 3 > length) {
                throw new CorruptFileSystemException("shortform directory entry " + i + " runs past its end");
            }
            int nameLength = Le.u8(fork, p);
            int nameAt = p + 3;
            int inodeAt = nameAt + nameLength + (fileTypes ? 1 : 0);
            if (nameLength == 0 || inodeAt + inodeBytes > length) {
                throw new CorruptFileSystemException(
                        "shortform directory entry " + i + " has name length " + nameLength);
            }
            long inode = inodeBytes == 4 ? Le.be32(fork, inodeAt) : be64(fork, inodeAt);
            out.add(new DirEntry(inode, new String(fork, nameAt, nameLength, StandardCharsets.UTF_8)));
            p = inodeAt + inodeBytes;
        }
    }

    /** The entries of one directory data block (a single-block directory's block, or a data block). */
    private void dataBlock(byte[] block, List<DirEntry> out) {
        long magic = Le.be32(block, 0);
        boolean v3 = magic == 0x58444233L || magic == 0x58444433L; // XDB3, XDD3
        boolean single = magic == 0x58443242L || magic == 0x58444233L; // XD2B, XDB3
        if (!v3 && magic != 0x58443242L && magic != 0x58443244L) { // XD2B, XD2D
            if (magic == 0 && isZero(block)) {
                return; // A hole in the directory's data: nothing stored there.
            }
            throw new CorruptFileSystemException("no directory data magic (0x" + Long.toHexString(magic) + ")");
        }
        int header = v3 ? 64 : 16;
        int end = block.length;
        if (single) {
            // A single-block directory ends with its hash leaf entries (8 bytes each) and an 8-byte tail.
            long leafCount = Le.be32(block, block.length - 8);
            if (leafCount > (block.length - header - 8) / 8) {
                throw new CorruptFileSystemException("block directory claims " + leafCount + " leaf entries");
            }
            end = block.length - 8 - (int) leafCount * 8;
        }
        int p = header;
        while (p < end) {
            if (p + 4 > end) {
                throw new CorruptFileSystemException("entry at byte " + p + " runs past the data area");
            }
            if (be16(block, p) == 0xFFFF) {
                int length = be16(block, p + 2);
                if (length < 8 || length % 8 != 0 || p + length > end) {
                    throw new CorruptFileSystemException("free space at byte " + p + " has length " + length);
                }
                p += length;
                continue;
            }
            if (p + 16 > end) {
                throw new CorruptFileSystemException("entry at byte " + p + " runs past the data area");
            }
            long inode = be64(block, p);
            int nameLength = Le.u8(block, p + 8);
            int length = (8 + 1 + nameLength + (fileTypes ? 1 : 0) + 2 + 7) / 8 * 8;
            if (nameLength == 0 || p + length > end) {
                throw new CorruptFileSystemException("entry at byte " + p + " has name length " + nameLength);
            }
            var name = new String(block, p + 9, nameLength, StandardCharsets.UTF_8);
            if (!name.equals(".") && !name.equals("..")) {
                out.add(new DirEntry(inode, name));
            }
            p += length;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The on-disk inode {@code number}: its allocation group, block in the group and slot in the block. */
    byte[] inode(long number) {
        int slotBits = agBlockLog + inodesPerBlockLog;
        long group = number >>> slotBits;
        long inGroup = number & ((1L << slotBits) - 1);
        long block = inGroup >>> inodesPerBlockLog;
        long slot = inGroup & ((1L << inodesPerBlockLog) - 1);
        if (number <= 0 || group >= agCount || block >= agBlocks) {
            throw new CorruptFileSystemException("inode number " + number + " is out of range");
        }
        var inode = volume.readFully((group * agBlocks + block) * blockSize + slot * inodeSize, inodeSize);
        if (!Le.ascii(inode, 0, "IN")) {
            throw new CorruptFileSystemException("inode " + number + " has no inode magic");
        }
        int inodeVersion = Le.u8(inode, 4);
        if (inodeVersion < 1 || inodeVersion > 3) {
            throw new CorruptFileSystemException("inode " + number + " has version " + inodeVersion);
        }
        return inode;
    }

    private static int coreSize(byte[] inode) {
        return Le.u8(inode, 4) == 3 ? 176 : 100;
    }

    private static long flags2(byte[] inode) {
        return Le.u8(inode, 4) == 3 ? be64(inode, 120) : 0;
    }

    /** The data fork: the literal area up to the attribute fork, if the inode has one. */
    private static byte[] fork(byte[] inode) {
        int core = coreSize(inode);
        int attributeOffset = Le.u8(inode, 82) * 8;
        int length = attributeOffset == 0 ? inode.length - core : attributeOffset;
        if (core + length > inode.length) {
            throw new CorruptFileSystemException(
                    "attribute fork offset " + attributeOffset + " lies outside the inode");
        }
        return Arrays.copyOfRange(inode, core, core + length);
    }

    private static long size(byte[] inode) {
        long size = be64(inode, 56);
        if (size < 0) {
            throw new CorruptFileSystemException("has a negative size");
        }
        return size;
    }

    private static long modified(byte[] inode) {
        if ((flags2(inode) & DIFLAG2_BIGTIME) != 0) {
            return Long.divideUnsigned(be64(inode, 40), 1_000_000_000L) - BIGTIME_EPOCH_OFFSET;
        }
        return (int) Le.be32(inode, 40);
    }

    private long extentCount(byte[] inode) {
        return (flags2(inode) & DIFLAG2_NREXT64) != 0 ? be64(inode, 24) : Le.be32(inode, 76);
    }

    private FileData data(byte[] inode) {
        long size = size(inode);
        int format = Le.u8(inode, 5);
        if (format == FORMAT_LOCAL) {
            var fork = fork(inode);
            if (size > fork.length) {
                throw new CorruptFileSystemException("keeps " + size + " bytes inline in a fork of " + fork.length);
            }
            return FileData.inline(fork, size);
        }
        if (format != FORMAT_EXTENTS && format != FORMAT_BTREE) {
            throw new CorruptFileSystemException("has data fork format " + format);
        }
        return FileData.ofRuns(volume, size, runs(inode));
    }

    /** The data fork's extents as runs of the volume; unwritten extents are holes. */
    private List<FileData.Run> runs(byte[] inode) {
        var fork = fork(inode);
        List<FileData.Run> out = new ArrayList<>();
        int format = Le.u8(inode, 5);
        if (format == FORMAT_EXTENTS) {
            long count = extentCount(inode);
            if (count < 0 || count > fork.length / 16) {
                throw new CorruptFileSystemException(
                        "claims " + count + " extents in a fork of " + fork.length + " bytes");
            }
            for (int i = 0; i < count; i++) {
                out.add(extent(fork, i * 16));
            }
        } else if (format == FORMAT_BTREE) {
            // The root in the inode: level, record count, keys, then pointers after room for the most keys.
            int level = be16(fork, 0);
            int records = be16(fork, 2);
            int most = (fork.length - 4) / 16;
            if (level < 1 || level > MAX_BTREE_LEVELS || records < 1 || records > most) {
                throw new CorruptFileSystemException(
                        "extent btree root of level " + level + " with " + records + " records");
            }
            Set<Long> visited = new HashSet<>();
            for (int i = 0; i < records; i++) {
                btreeNode(be64(fork, 4 + most * 8 + i * 8), level - 1, visited, out);
            }
        } else {
            throw new CorruptFileSystemException("has no extents (data fork format " + format + ")");
        }
        return out;
    }

    private void btreeNode(long fsBlock, int level, Set<Long> visited, List<FileData.Run> out) {
        if (!visited.add(fsBlock)) {
            throw new CorruptFileSystemException("extent btree visits block " + fsBlock + " twice");
        }
        var block = volume.readFully(byteAddress(fsBlock, 1), blockSize);
        boolean magic = version == 5 ? Le.ascii(block, 0, "BMA3") : Le.ascii(block, 0, "BMAP");
        if (!magic) {
            throw new CorruptFileSystemException("extent btree block " + fsBlock + " has no BMAP/BMA3 magic");
        }
        int header = version == 5 ? 72 : 24;
        int nodeLevel = be16(block, 4);
        int records = be16(block, 6);
        int most = (blockSize - header) / 16;
        if (nodeLevel != level || records > most) {
            throw new CorruptFileSystemException("extent btree block " + fsBlock + " has level " + nodeLevel
                    + " (expected " + level + ") and " + records + " records");
        }
        for (int i = 0; i < records; i++) {
            if (level == 0) {
                if (out.size() >= MAX_EXTENTS) {
                    throw new CorruptFileSystemException("more than " + MAX_EXTENTS + " extents");
                }
                out.add(extent(block, header + i * 16));
            } else {
                btreeNode(be64(block, header + most * 8 + i * 8), level - 1, visited, out);
            }
        }
    }

    /** A packed 128-bit extent: unwritten flag, 54-bit file offset, 52-bit start block, 21-bit length. */
    private FileData.Run extent(byte[] b, int at) {
        long high = be64(b, at);
        long low = be64(b, at + 8);
        boolean unwritten = high < 0;
        long offset = (high & Long.MAX_VALUE) >>> 9;
        long start = (high & 0x1FF) << 43 | low >>> 21;
        long count = low & 0x1FFFFF;
        if (count == 0 || offset > Long.MAX_VALUE / blockSize - count) {
            throw new CorruptFileSystemException("extent at file block " + offset + " of " + count + " blocks");
        }
        long physical = byteAddress(start, count);
        return new FileData.Run(offset * blockSize, unwritten ? -1 : physical, count * blockSize);
    }

    /** Where {@code count} blocks from file-system block {@code fsBlock} (group in the high bits) start. */
    private long byteAddress(long fsBlock, long count) {
        long group = fsBlock >>> agBlockLog;
        long block = fsBlock & ((1L << agBlockLog) - 1);
        if (group >= agCount || block + count > agBlocks || group * agBlocks + block + count > dataBlocks) {
            throw new CorruptFileSystemException("block " + fsBlock + " (+" + count + ") lies outside the file system");
        }
        return (group * agBlocks + block) * blockSize;
    }

    private static int be16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long be64(byte[] b, int at) {
        return Le.be32(b, at) << 32 | Le.be32(b, at + 4);
    }
}
