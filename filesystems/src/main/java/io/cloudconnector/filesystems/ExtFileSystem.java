package io.cloudconnector.filesystems;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A read-only ext2/ext3/ext4 reader: superblock (the primary, else the first backup), group descriptors,
 * inodes, extent trees and classic block maps, linear and hashed directories (hashed ones are read as
 * linear blocks, which their format allows). Checks what a scan can vouch for: the superblock's checksum
 * and state, recorded errors, and the journal's superblock.
 *
 * <p>It is longer than the usual 450 lines because it is one on-disk format: superblock, group descriptors, inodes,
 * extents, block maps and directories share the bounds checks taken from the superblock, and split apart they would
 * each need that state made visible.
 */
final class ExtFileSystem implements FileSystem, Browsable {

    static final int SUPERBLOCK_OFFSET = 1024;
    static final int MAGIC = 0xEF53;

    private static final int ROOT_INODE = 2;
    private static final long COMPAT_HAS_JOURNAL = 0x4;
    private static final long INCOMPAT_FILETYPE = 0x2;
    private static final long INCOMPAT_RECOVER = 0x4;
    private static final long INCOMPAT_JOURNAL_DEV = 0x8;
    private static final long INCOMPAT_META_BG = 0x10;
    private static final long INCOMPAT_EXTENTS = 0x40;
    private static final long INCOMPAT_64BIT = 0x80;
    private static final long INCOMPAT_ENCRYPT = 0x10000;
    /** Features this reader handles or that do not change where data lives. */
    private static final long INCOMPAT_KNOWN = 0x1
            | INCOMPAT_FILETYPE
            | INCOMPAT_RECOVER
            | INCOMPAT_EXTENTS
            | INCOMPAT_64BIT
            | 0x100 /* mmp */
            | 0x200 /* flex_bg */
            | 0x400 /* ea_inode */
            | 0x1000 /* dirdata */
            | 0x2000 /* csum_seed */
            | 0x4000 /* largedir */
            | 0x8000 /* inline_data */
            | INCOMPAT_ENCRYPT
            | 0x20000 /* casefold */;

    private static final long RO_COMPAT_METADATA_CSUM = 0x400;
    private static final long EXT4_EXTENTS_FL = 0x80000;
    private static final long EXT4_INLINE_DATA_FL = 0x10000000;
    private static final long EXT4_ENCRYPT_FL = 0x800;
    private static final int MAX_DEPTH = 256;

    private final ByteSource volume;
    private final String location;
    private final List<Finding> findings = new ArrayList<>();
    private final int blockSize;
    private final long blockCount;
    private final long inodesPerGroup;
    private final int inodeSize;
    private final long incompat;
    private final long[] inodeTables;
    private final String type;

    private ExtFileSystem(ByteSource volume, String location, byte[] sb, long descriptorBlock) {
        this.volume = volume;
        this.location = location;
        this.blockSize = 1024 << Le.u32(sb, 24);
        this.incompat = Le.u32(sb, 96);
        long compat = Le.u32(sb, 92);
        long roCompat = Le.u32(sb, 100);
        this.blockCount = Le.u32(sb, 4) | ((incompat & INCOMPAT_64BIT) != 0 ? Le.u32(sb, 0x150) << 32 : 0);
        long blocksPerGroup = Le.u32(sb, 32);
        long firstDataBlock = Le.u32(sb, 20);
        this.inodesPerGroup = Le.u32(sb, 40);
        this.inodeSize = Le.u32(sb, 76) >= 1 ? Le.u16(sb, 88) : 128;
        if (blocksPerGroup == 0 || inodesPerGroup == 0 || inodeSize < 128 || blockSize > 65536) {
            throw new CorruptFileSystemException("superblock has impossible geometry (blocks per group "
                    + blocksPerGroup + ", inodes per group " + inodesPerGroup + ", inode size " + inodeSize + ")");
        }
        this.type = (incompat & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | 0x200)) != 0
                ? "ext4"
                : (compat & COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2";
        if ((incompat & INCOMPAT_META_BG) != 0) {
            throw new CorruptFileSystemException("uses meta_bg group descriptors, which this reader does not support");
        }
        if ((incompat & INCOMPAT_JOURNAL_DEV) != 0) {
            throw new CorruptFileSystemException("is an external journal device, not a file system");
        }
        long unknown = incompat & ~INCOMPAT_KNOWN;
        if (unknown != 0) {
            findings.add(Finding.warning(
                    location,
                    "uses unknown incompatible features 0x" + Long.toHexString(unknown)
                            + "; files may be read wrongly"));
        }
        if ((incompat & INCOMPAT_ENCRYPT) != 0) {
            findings.add(Finding.warning(location, "has fscrypt-encrypted directories: their files cannot be scanned"));
        }
        long groups = (blockCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
        if (groups <= 0 || groups > 1 << 24) {
            throw new CorruptFileSystemException("superblock has an impossible group count " + groups);
        }
        int descSize = (incompat & INCOMPAT_64BIT) != 0 ? Math.max(32, Le.u16(sb, 254)) : 32;
        if (groups * descSize > volume.size() - descriptorBlock * blockSize) {
            throw new CorruptFileSystemException("superblock describes " + groups + " groups of " + descSize
                    + "-byte descriptors, more than the volume holds");
        }
        var table = volume.readFully(descriptorBlock * blockSize, Math.toIntExact(groups * descSize));
        this.inodeTables = new long[(int) groups];
        for (int g = 0; g < groups; g++) {
            int at = g * descSize;
            inodeTables[g] = Le.u32(table, at + 8) | (descSize >= 64 ? Le.u32(table, at + 0x28) << 32 : 0);
        }
        checkState(sb, compat, roCompat);
    }

    /**
     * Opens the ext file system at the start of {@code volume}. A primary superblock that is missing or fails
     * its checksum is replaced by the first backup, and the damage is reported.
     */
    static Optional<ExtFileSystem> open(ByteSource volume, String location) {
        byte[] primary = volume.size() >= 2048 ? volume.readFully(SUPERBLOCK_OFFSET, 1024) : new byte[1024];
        String primaryProblem = problemWith(primary);
        if (primaryProblem == null) {
            long descriptorBlock = Le.u32(primary, 20) + 1;
            return Optional.of(new ExtFileSystem(volume, location, primary, descriptorBlock));
        }
        for (int blockSize : new int[] {1024, 2048, 4096}) {
            long firstDataBlock = blockSize == 1024 ? 1 : 0;
            long group1 = firstDataBlock + 8L * blockSize;
            // Backups sit at the start of their group's first block (the primary is at byte 1024).
            long at = group1 * blockSize;
            if (at + 1024 > volume.size()) {
                continue;
            }
            byte[] backup = volume.readFully(at, 1024);
            if (problemWith(backup) == null && (1024 << Le.u32(backup, 24)) == blockSize && Le.u16(backup, 0x5A) == 1) {
                var fs = new ExtFileSystem(volume, location, backup, group1 + 1);
                fs.findings.addFirst(Finding.error(
                        location,
                        "primary superblock is damaged (" + primaryProblem
                                + "); read with the backup superblock at block " + group1));
                return Optional.of(fs);
            }
        }
        if (Le.u16(primary, 56) == MAGIC) {
            throw new CorruptFileSystemException(
                    "primary superblock is damaged (" + primaryProblem + ") and no backup superblock was found");
        }
        return Optional.empty();
    }

    /** Whether {@code volume} starts with an ext superblock (or has the first backup of one). */
    static boolean looksLikeExt(byte[] start) {
        return start.length >= 2048 && Le.u16(start, SUPERBLOCK_OFFSET + 56) == MAGIC;
    }

    private static @org.jspecify.annotations.Nullable String problemWith(byte[] sb) {
        if (Le.u16(sb, 56) != MAGIC) {
            return "no ext magic";
        }
        if (Le.u32(sb, 24) > 6) {
            return "block size field " + Le.u32(sb, 24) + " out of range";
        }
        if ((Le.u32(sb, 100) & RO_COMPAT_METADATA_CSUM) != 0) {
            var crc = new CRC32C();
            crc.update(sb, 0, 1020);
            // The kernel stores crc32c without the final inversion that java.util.zip applies.
            long expected = ~crc.getValue() & 0xFFFFFFFFL;
            if (Le.u32(sb, 1020) != expected) {
                return "checksum mismatch";
            }
        }
        return null;
    }

    private void checkState(byte[] sb, long compat, long roCompat) {
        int state = Le.u16(sb, 58);
        if ((state & 0x2) != 0) {
            findings.add(Finding.error(
                    location,
                    "the file system recorded errors (state 'errors detected'): "
                            + "run e2fsck on a restored copy before trusting it"));
        }
        long errorCount = Le.u32(sb, 0x194);
        if (errorCount > 0) {
            findings.add(Finding.error(location, errorCount + " file-system errors recorded in the superblock"));
        }
        if ((incompat & INCOMPAT_RECOVER) != 0) {
            findings.add(Finding.info(
                    location,
                    "the journal holds transactions not yet replayed (the volume was in "
                            + "use when the snapshot was taken); files are read as they were before replay"));
        }
        if ((compat & COMPAT_HAS_JOURNAL) != 0) {
            long journalInode = Le.u32(sb, 0xE0);
            if (Le.u32(sb, 0xE4) != 0 && journalInode == 0) {
                findings.add(Finding.info(location, "journal is on an external device; not checked"));
            } else {
                checkJournal(journalInode);
            }
        }
        if ((roCompat & RO_COMPAT_METADATA_CSUM) != 0) {
            findings.add(Finding.info(location, "superblock checksum verified"));
        }
    }

    private void checkJournal(long journalInode) {
        try {
            var inode = inode(journalInode);
            var data = data(journalInode, inode);
            var head = data.head(12);
            if (head.length < 12 || Le.be32(head, 0) != 0xC03B3998L) {
                findings.add(Finding.error(
                        location, "journal superblock (inode " + journalInode + ") is damaged: " + "no JBD2 magic"));
            } else if (Le.be32(head, 4) != 3 && Le.be32(head, 4) != 4) {
                findings.add(
                        Finding.error(location, "journal superblock has an unknown block type " + Le.be32(head, 4)));
            }
        } catch (CorruptFileSystemException e) {
            findings.add(
                    Finding.error(location, "journal (inode " + journalInode + ") cannot be read: " + e.getMessage()));
        }
    }

    @Override
    public String type() {
        return type;
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
        pending.push(new Dir(ROOT_INODE, "", 0));
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
                    int mode = Le.u16(inode, 0) & 0xF000;
                    if (mode == 0x4000) {
                        pending.push(new Dir(entry.inode(), path, dir.depth() + 1));
                    } else if (mode == 0x8000) {
                        files.accept(new FileEntry(
                                path, size(inode), Le.u32(inode, 16), entry.inode(), FileEntry.MAIN_STREAM));
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
        return data(file.reference(), inode(file.reference()));
    }

    @Override
    public Node root() {
        return node(ROOT_INODE, "", "/");
    }

    @Override
    public List<Node> list(Node directory) {
        var entries = readDirectory(directory.reference());
        String base = directory.path().endsWith("/") ? directory.path() : directory.path() + "/";
        var inodes = inodes(entries.stream().mapToLong(DirEntry::inode).toArray());
        List<Node> nodes = new ArrayList<>(entries.size());
        for (var entry : entries) {
            nodes.add(node(
                    entry.inode(),
                    java.util.Objects.requireNonNull(inodes.get(entry.inode())),
                    entry.name(),
                    base + entry.name()));
        }
        return nodes;
    }

    /**
     * The inodes {@code numbers}, read in runs: inodes that lie close together in an inode table (as a directory's
     * usually do) are read with one read of up to 64 KiB instead of one read each.
     */
    private java.util.Map<Long, byte[]> inodes(long[] numbers) {
        var sorted = java.util.Arrays.stream(numbers).distinct().sorted().toArray();
        java.util.Map<Long, byte[]> out = new java.util.HashMap<>(sorted.length * 2);
        int length = Math.min(inodeSize, 256);
        int i = 0;
        while (i < sorted.length) {
            long first = sorted[i];
            if (first < 1 || first > inodesPerGroup * inodeTables.length) {
                out.put(first, inode(first));
                i++;
                continue;
            }
            long group = (first - 1) / inodesPerGroup;
            long start = offset(first);
            int j = i + 1;
            while (j < sorted.length
                    && (sorted[j] - 1) / inodesPerGroup == group
                    && offset(sorted[j]) + length - start <= 65536) {
                j++;
            }
            var run = volume.readFully(start, Math.toIntExact(offset(sorted[j - 1]) + length - start));
            for (int k = i; k < j; k++) {
                int at = Math.toIntExact(offset(sorted[k]) - start);
                out.put(sorted[k], java.util.Arrays.copyOfRange(run, at, at + length));
            }
            i = j;
        }
        return out;
    }

    /** Where inode {@code number} lies on the volume (its number checked, its group's table checked). */
    private long offset(long number) {
        long group = (number - 1) / inodesPerGroup;
        long index = (number - 1) % inodesPerGroup;
        long table = inodeTables[(int) group];
        if (table == 0 || table >= blockCount) {
            throw new CorruptFileSystemException("inode table of group " + group + " points to block " + table);
        }
        return table * blockSize + index * inodeSize;
    }

    @Override
    public FileData content(Node node) {
        return data(node.reference(), inode(node.reference()));
    }

    /** An inode as a listing shows it: type, permissions, owner (with the high 16 bits), mtime with its nanoseconds. */
    private Node node(long number, String name, String path) {
        return node(number, inode(number), name, path);
    }

    private Node node(long number, byte[] inode, String name, String path) {
        int mode = Le.u16(inode, 0);
        var type = switch (mode & 0xF000) {
            case 0x8000 -> Node.Type.FILE;
            case 0x4000 -> Node.Type.DIR;
            case 0xA000 -> Node.Type.SYMLINK;
            default -> Node.Type.OTHER;
        };
        long uid = Le.u16(inode, 2) | (long) Le.u16(inode, 120) << 16;
        long gid = Le.u16(inode, 24) | (long) Le.u16(inode, 122) << 16;
        long modified = (int) Le.u32(inode, 16);
        int nanos = 0;
        // i_mtime_extra (0x88) exists when i_extra_isize (0x80) covers it: 2 epoch bits, then nanoseconds.
        if (inode.length >= 0x8C && Le.u16(inode, 0x80) >= 0x0C) {
            long extra = Le.u32(inode, 0x88);
            modified += (extra & 3) << 32;
            nanos = (int) (extra >>> 2);
        }
        String target = null;
        if (type == Node.Type.SYMLINK) {
            try {
                var data = data(number, inode);
                if (data.size() <= 4096) {
                    target = new String(data.head(4096), java.nio.charset.StandardCharsets.UTF_8);
                }
            } catch (CorruptFileSystemException e) {
                // A link whose target cannot be read is still listed, without its target.
            }
        }
        return new Node(name, path, type, size(inode), mode & 07777, uid, gid, modified, nanos, target, number);
    }

    private record DirEntry(long inode, String name) {}

    private List<DirEntry> readDirectory(long inodeNumber) {
        var inode = inode(inodeNumber);
        if ((Le.u16(inode, 0) & 0xF000) != 0x4000) {
            throw new CorruptFileSystemException("is not a directory");
        }
        var data = data(inodeNumber, inode);
        if (data.size() > 1L << 30) {
            throw new CorruptFileSystemException("directory of " + data.size() + " bytes is implausible");
        }
        List<DirEntry> entries = new ArrayList<>();
        boolean fileType = (incompat & INCOMPAT_FILETYPE) != 0;
        var block = new byte[blockSize];
        boolean inline = (Le.u32(inode, 32) & EXT4_INLINE_DATA_FL) != 0;
        if (inline) {
            // Inline directories: 4 bytes of parent inode, then entries in the rest of i_block.
            var body = java.util.Arrays.copyOfRange(inode, 40 + 4, 40 + 60);
            parseEntries(body, body.length, fileType, entries);
            return entries;
        }
        for (long at = 0; at < data.size(); at += blockSize) {
            int n = data.read(at, block, 0, blockSize);
            parseEntries(block, n, fileType, entries);
        }
        return entries;
    }

    private static void parseEntries(byte[] block, int length, boolean fileType, List<DirEntry> out) {
        int p = 0;
        while (p + 8 <= length) {
            long inode = Le.u32(block, p);
            int recLen = Le.u16(block, p + 4);
            int nameLen = fileType ? Le.u8(block, p + 6) : Le.u16(block, p + 6);
            if (recLen < 8 || recLen % 4 != 0 || p + recLen > length || nameLen > recLen - 8) {
                throw new CorruptFileSystemException("directory entry at byte " + p + " has record length " + recLen);
            }
            if (inode != 0 && nameLen > 0) {
                var name = new String(block, p + 8, nameLen, java.nio.charset.StandardCharsets.UTF_8);
                if (!name.equals(".") && !name.equals("..")) {
                    out.add(new DirEntry(inode, name));
                }
            }
            p += recLen;
        }
    }

    byte[] inode(long number) {
        if (number < 1 || number > inodesPerGroup * inodeTables.length) {
            throw new CorruptFileSystemException("inode number " + number + " is out of range");
        }
        long group = (number - 1) / inodesPerGroup;
        long index = (number - 1) % inodesPerGroup;
        long table = inodeTables[(int) group];
        if (table == 0 || table >= blockCount) {
            throw new CorruptFileSystemException("inode table of group " + group + " points to block " + table);
        }
        return volume.readFully(table * blockSize + index * inodeSize, Math.min(inodeSize, 256));
    }

    private static long size(byte[] inode) {
        return Le.u32(inode, 4) | Le.u32(inode, 108) << 32;
    }

    private FileData data(long number, byte[] inode) {
        long size = size(inode);
        long flags = Le.u32(inode, 32);
        if ((flags & EXT4_ENCRYPT_FL) != 0) {
            throw new CorruptFileSystemException("is encrypted with fscrypt; its content cannot be read");
        }
        if ((flags & EXT4_INLINE_DATA_FL) != 0) {
            if (size > 60) {
                throw new CorruptFileSystemException(
                        "keeps " + size + " bytes inline, beyond the 60 this reader reads");
            }
            return FileData.inline(java.util.Arrays.copyOfRange(inode, 40, 100), size);
        }
        int mode = Le.u16(inode, 0) & 0xF000;
        if (mode == 0xA000 && size < 60 && Le.u32(inode, 28) == 0) {
            return FileData.inline(java.util.Arrays.copyOfRange(inode, 40, 100), size);
        }
        long blocksNeeded = (size + blockSize - 1) / blockSize;
        List<FileData.Run> runs = new ArrayList<>();
        if ((flags & EXT4_EXTENTS_FL) != 0) {
            extents(java.util.Arrays.copyOfRange(inode, 40, 100), 0, runs);
        } else {
            blockMap(inode, blocksNeeded, runs);
        }
        return FileData.ofRuns(volume, size, runs);
    }

    private void extents(byte[] node, int depth, List<FileData.Run> out) {
        if (Le.u16(node, 0) != 0xF30A) {
            throw new CorruptFileSystemException("extent node without magic");
        }
        int entries = Le.u16(node, 2);
        int nodeDepth = Le.u16(node, 6);
        if (depth > 5 || nodeDepth > 5 || 12 + entries * 12 > node.length) {
            throw new CorruptFileSystemException("extent node of depth " + nodeDepth + " with " + entries + " entries");
        }
        for (int i = 0; i < entries; i++) {
            int at = 12 + i * 12;
            if (nodeDepth == 0) {
                long logical = Le.u32(node, at);
                int length = Le.u16(node, at + 4);
                boolean unwritten = length > 32768;
                if (unwritten) {
                    length -= 32768;
                }
                long physical = Le.u16(node, at + 6) << 32 | Le.u32(node, at + 8);
                if (!unwritten && (physical + length > blockCount)) {
                    throw new CorruptFileSystemException(
                            "extent points past the end of the volume (block " + physical + ")");
                }
                out.add(new FileData.Run(
                        logical * blockSize, unwritten ? -1 : physical * blockSize, (long) length * blockSize));
            } else {
                long child = Le.u32(node, at + 4) | Le.u16(node, at + 8) << 32;
                if (child == 0 || child >= blockCount) {
                    throw new CorruptFileSystemException("extent index points to block " + child);
                }
                extents(volume.readFully(child * blockSize, blockSize), depth + 1, out);
            }
        }
    }

    private void blockMap(byte[] inode, long blocksNeeded, List<FileData.Run> out) {
        long[] next = {0};
        for (int i = 0; i < 12 && next[0] < blocksNeeded; i++) {
            addBlock(out, next[0]++, Le.u32(inode, 40 + i * 4));
        }
        for (int level = 1; level <= 3 && next[0] < blocksNeeded; level++) {
            indirect(Le.u32(inode, 40 + (11 + level) * 4), level, blocksNeeded, next, out);
        }
    }

    private void indirect(long block, int level, long blocksNeeded, long[] next, List<FileData.Run> out) {
        long perBlock = blockSize / 4;
        long covers = (long) Math.pow(perBlock, level);
        if (block == 0) {
            next[0] += covers;
            return;
        }
        if (block >= blockCount) {
            throw new CorruptFileSystemException("indirect block " + block + " is past the end of the volume");
        }
        var pointers = volume.readFully(block * blockSize, blockSize);
        for (int i = 0; i < perBlock && next[0] < blocksNeeded; i++) {
            long target = Le.u32(pointers, i * 4);
            if (level == 1) {
                addBlock(out, next[0]++, target);
            } else {
                indirect(target, level - 1, blocksNeeded, next, out);
            }
        }
    }

    private void addBlock(List<FileData.Run> out, long logicalBlock, long physicalBlock) {
        if (physicalBlock == 0) {
            return;
        }
        if (physicalBlock >= blockCount) {
            throw new CorruptFileSystemException("block pointer " + physicalBlock + " is past the end of the volume");
        }
        long logical = logicalBlock * blockSize;
        long physical = physicalBlock * blockSize;
        if (!out.isEmpty()) {
            var last = out.getLast();
            if (last.logical() + last.length() == logical && last.physical() + last.length() == physical) {
                out.set(out.size() - 1, new FileData.Run(last.logical(), last.physical(), last.length() + blockSize));
                return;
            }
        }
        out.add(new FileData.Run(logical, physical, blockSize));
    }
}
