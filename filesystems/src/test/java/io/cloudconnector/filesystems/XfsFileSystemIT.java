package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XFS reader against images made by {@code mkfs.xfs -p} (v5 and v4), checked against the tree they were
 * built from and against {@code xfs_db}, which lists every directory and maps every file's blocks. What a
 * protofile cannot make (holes, an extent btree for a regular file, a v5 remote symlink block) is written
 * into the image here, byte by byte or with {@code xfs_db -x}, and {@code xfs_db} confirms it reads it too.
 */
class XfsFileSystemIT {

    private static final int MANY = 10_000;
    private static final String LONG_TARGET = java.util.stream.IntStream.range(0, 60)
            .mapToObj(i -> String.format("segment%03d", i))
            .collect(Collectors.joining("/"));

    @TempDir
    static Path dir;

    static Path tree;
    static Map<String, String> expected = new TreeMap<>();
    static Path v5;

    @BeforeAll
    static void makeATree() throws Exception {
        tree = Files.createDirectories(dir.resolve("tree"));
        var random = new Random(42);
        put("etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        put("home/anna/notes.txt", "meeting at ten\n".repeat(300).getBytes(StandardCharsets.UTF_8));
        put("home/anna/empty", new byte[0]);
        put("home/anna/Grüße,ünïcode-файл.txt", "hallo".getBytes(StandardCharsets.UTF_8));
        var big = new byte[3 * 1024 * 1024 + 123];
        random.nextBytes(big);
        put("var/lib/big.bin", big);
        var frag = new byte[48 * 4096];
        random.nextBytes(frag);
        put("var/lib/frag.bin", frag);
        for (int i = 0; i < 40; i++) {
            // One directory block: a block-form directory.
            put("srv/block/entry-with-a-longer-name-" + i, ("b" + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 300; i++) {
            // A few data blocks and one leaf block: a leaf-form directory.
            put("srv/leaf/entry-with-a-longer-name-" + i, ("l" + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < MANY; i++) {
            // Directory blocks interleaved with the files' blocks: a node directory whose extents need a btree.
            put(
                    String.format("srv/many/file-%05d.dat", i),
                    ("content " + i + " ").repeat(60).getBytes(StandardCharsets.UTF_8));
        }
        Files.createSymbolicLink(tree.resolve("home/anna/link"), Path.of("notes.txt"));
        Files.createSymbolicLink(tree.resolve("home/anna/longlink"), Path.of(LONG_TARGET));
        v5 = DiskImages.xfs(tree, dir.resolve("v5.img"), "160M");
    }

    private static void put(String path, byte[] content) {
        DiskImages.write(tree, path, content);
        expected.put(path, FileSystems.sha256(content));
    }

    private static Path copy(Path image, String name) throws Exception {
        return Files.copy(image, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static XfsFileSystem xfs(Path image) {
        return (XfsFileSystem) FileSystems.open(DiskImages.source(image));
    }

    private static String print(Path image, String path, String field) {
        return DiskImages.xfsDb(image, false, "path /" + path, "print " + field).trim();
    }

    /** The extents {@code xfs_db bmap} maps for an inode: file block, file-system block, count. */
    private static List<long[]> bmap(Path image, long inode) {
        return DiskImages.xfsDb(image, false, "inode " + inode, "bmap")
                .lines()
                .map(Geometry::extent)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    @Test
    void readsEveryFileOfAV5ImageAsXfsDbListsIt() {
        var fs = xfs(v5);
        var walk = FileSystems.read(fs);

        assertThat(fs.type()).isEqualTo("xfs");
        assertThat(walk.problems()).isEmpty();
        assertThat(walk.sha256()).isEqualTo(expected);
        var oracle = DiskImages.xfsEntries(v5);
        var regular = oracle.entrySet().stream()
                .filter(e -> e.getValue().type().equals("regular"))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(walk.sha256().keySet()).containsExactlyInAnyOrderElementsOf(regular);
        assertThat(regular).hasSize(6 + 40 + 300 + MANY);
        // Each directory form is present, so each was read.
        assertThat(print(v5, "etc", "core.format")).isEqualTo("core.format = 1 (local)");
        assertThat(print(v5, "srv/block", "core.format")).isEqualTo("core.format = 2 (extents)");
        assertThat(DiskImages.xfsDb(v5, false, "path /srv/block", "dblock 0", "print bhdr.hdr.magic"))
                .contains("0x58444233"); // XDB3
        assertThat(DiskImages.xfsDb(v5, false, "path /srv/leaf", "dblock 0", "print dhdr.hdr.magic"))
                .contains("0x58444433"); // XDD3
        assertThat(print(v5, "srv/many", "core.format")).isEqualTo("core.format = 3 (btree)");
        assertThat(fs.readDirectory(oracle.get("srv/many").inode())).hasSize(MANY);
        assertThat(fs.findings()).extracting(Finding::message).contains("superblock checksum verified");
    }

    /** mkfs.xfs runs out of room in version 4's default four groups for 10,000 files in one directory; two hold them. */
    @Test
    void readsV4ImagesWithAndWithoutFileTypesInDirectories() {
        for (var ftype : new String[] {"1", "0"}) {
            var image = DiskImages.xfs(
                    tree,
                    dir.resolve("v4-" + ftype + ".img"),
                    "160M",
                    "-m",
                    "crc=0",
                    "-n",
                    "ftype=" + ftype,
                    "-d",
                    "agcount=2");

            var fs = xfs(image);
            var walk = FileSystems.read(fs);

            assertThat(walk.problems()).isEmpty();
            assertThat(walk.sha256()).isEqualTo(expected);
            assertThat(DiskImages.xfsEntries(image).entrySet())
                    .filteredOn(e -> e.getValue().type().equals("regular"))
                    .extracting(Map.Entry::getKey)
                    .containsExactlyInAnyOrderElementsOf(walk.sha256().keySet());
            assertThat(print(image, "srv/many", "core.format")).isEqualTo("core.format = 3 (btree)");
            assertThat(fs.findings()).extracting(Finding::message).contains("XFS version 4 (no metadata checksums)");
        }
    }

    @Test
    void readsDirectoryBlocksMadeOfManyFileSystemBlocks() {
        // 1 KiB blocks, 16 KiB directory blocks: one directory block spans extents of the directory.
        var image = DiskImages.xfs(tree, dir.resolve("dirblocks.img"), "160M", "-b", "size=1024", "-n", "size=16k");
        assertThat(DiskImages.xfsDb(image, false, "sb 0", "print blocksize dirblklog"))
                .contains("blocksize = 1024", "dirblklog = 4");

        var walk = FileSystems.read(xfs(image));

        assertThat(walk.problems()).isEmpty();
        assertThat(walk.sha256()).isEqualTo(expected);
        assertThat(print(image, "srv/many", "core.format")).isEqualTo("core.format = 3 (btree)");
    }

    @Test
    void readsShortAndLongSymlinks() throws Exception {
        var oracle = DiskImages.xfsEntries(v5);
        var fs = xfs(v5);
        assertThat(oracle.get("home/anna/link").type()).isEqualTo("symlink");
        assertThat(fs.readLink(oracle.get("home/anna/link").inode())).isEqualTo("notes.txt");
        assertThat(print(v5, "home/anna/longlink", "core.format")).isEqualTo("core.format = 2 (extents)");
        // mkfs.xfs 6.1 writes a protofile's remote symlink without the v5 block header; read it as it is...
        long longLink = oracle.get("home/anna/longlink").inode();
        assertThat(fs.readLink(longLink)).isEqualTo(LONG_TARGET);

        // ...and as the kernel writes it: an XSLM header, then the bytes.
        var image = copy(v5, "symlink.img");
        var geometry = Geometry.of(image);
        long block = bmap(image, longLink).getFirst()[1];
        var header = ByteBuffer.allocate(56);
        header.put("XSLM".getBytes(StandardCharsets.US_ASCII))
                .putInt(0)
                .putInt(LONG_TARGET.length())
                .putInt(0)
                .put(geometry.uuid())
                .putLong(longLink)
                .putLong(geometry.daddr(block))
                .putLong(0);
        var content = new byte[geometry.blockSize()];
        System.arraycopy(header.array(), 0, content, 0, 56);
        var target = LONG_TARGET.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(target, 0, content, 56, target.length);
        DiskImages.overwrite(image, geometry.byteAddress(block), content);

        assertThat(DiskImages.xfsDb(image, false, "inode " + longLink, "dblock 0", "type symlink", "print magic bytes"))
                .contains("magic = 0x58534c4d", "bytes = " + LONG_TARGET.length());
        assertThat(xfs(image).readLink(longLink)).isEqualTo(LONG_TARGET);
    }

    @Test
    void readsAFileWhoseExtentsNeedABtreeWithHolesBetweenThem() throws Exception {
        for (var version : new String[] {"v5", "v4"}) {
            var image = version.equals("v5")
                    ? copy(v5, "btree.img")
                    : DiskImages.xfs(tree, dir.resolve("btree-v4.img"), "160M", "-m", "crc=0", "-d", "agcount=2");
            var geometry = Geometry.of(image);
            long inode = DiskImages.xfsEntries(image).get("var/lib/frag.bin").inode();
            long[] extent = bmap(image, inode).getFirst();
            assertThat(extent[2]).isEqualTo(48);
            // Keep every even block (24 extents, more than an inode holds); the odd ones become holes, and
            // block 1 of the file becomes the btree's leaf.
            long start = extent[1];
            List<long[]> extents = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                extents.add(new long[] {2L * i, start + 2L * i, 1});
            }
            long leaf = start + 1;
            DiskImages.overwrite(image, geometry.byteAddress(leaf), geometry.bmbtLeaf(leaf, inode, extents));
            String fork = version.equals("v5") ? "u3" : "u";
            DiskImages.xfsDb(
                    image,
                    true,
                    "inode " + inode,
                    "write -d core.format 3",
                    "write -d core.nextents 24",
                    "write -d " + fork + ".bmbt.level 1",
                    "write -d " + fork + ".bmbt.numrecs 1",
                    "write -d " + fork + ".bmbt.keys[1].startoff 0",
                    "write -d " + fork + ".bmbt.ptrs[1] " + leaf);

            // xfs_db reads the same btree.
            assertThat(DiskImages.xfsDb(image, false, "inode " + inode, "print core.format"))
                    .contains("core.format = 3 (btree)");
            var mapped = bmap(image, inode);
            assertThat(mapped)
                    .hasSize(24)
                    .allSatisfy(e -> assertThat(e[1] - start).isEqualTo(e[0]));
            var content = Files.readAllBytes(tree.resolve("var/lib/frag.bin"));
            for (int i = 1; i < 48; i += 2) {
                Arrays.fill(content, i * 4096, (i + 1) * 4096, (byte) 0);
            }

            var walk = FileSystems.read(xfs(image));

            assertThat(walk.problems()).isEmpty();
            assertThat(walk.sha256())
                    .containsEntry("var/lib/frag.bin", FileSystems.sha256(content))
                    .hasSameSizeAs(expected);
        }
    }

    @Test
    void readsHolesInAnExtentList() throws Exception {
        var image = copy(v5, "holes.img");
        long inode = DiskImages.xfsEntries(image).get("var/lib/frag.bin").inode();
        long start = bmap(image, inode).getFirst()[1];
        // Two extents, blocks 0-9 and 20-29: a hole in the middle and one at the end; the second is unwritten.
        DiskImages.xfsDb(
                image,
                true,
                "inode " + inode,
                "write core.nextents 2",
                "write u3.bmx[0].blockcount 10",
                "write u3.bmx[1].startoff 20",
                "write u3.bmx[1].startblock " + (start + 20),
                "write u3.bmx[1].blockcount 10",
                "write u3.bmx[1].extentflag 0");
        assertThat(bmap(image, inode)).hasSize(2);
        var content = Files.readAllBytes(tree.resolve("var/lib/frag.bin"));
        Arrays.fill(content, 10 * 4096, 20 * 4096, (byte) 0);
        Arrays.fill(content, 30 * 4096, content.length, (byte) 0);

        var fs = xfs(image);
        var file = new FileEntry("var/lib/frag.bin", content.length, 0, inode, FileEntry.MAIN_STREAM);

        assertThat(FileSystems.sha256(fs.open(file))).isEqualTo(FileSystems.sha256(content));

        DiskImages.xfsDb(image, true, "inode " + inode, "write u3.bmx[1].extentflag 1");
        Arrays.fill(content, 20 * 4096, 30 * 4096, (byte) 0);
        assertThat(FileSystems.sha256(xfs(image).open(file))).isEqualTo(FileSystems.sha256(content));
    }

    @Test
    void forgedCountsAreReportedNotFollowed() throws Exception {
        var image = copy(v5, "forged.img");
        var oracle = DiskImages.xfsEntries(image);
        long big = oracle.get("var/lib/big.bin").inode();
        DiskImages.xfsDb(image, true, "inode " + big, "write -d core.nextents 4000000000");
        DiskImages.xfsDb(image, true, "inode " + oracle.get("srv/many").inode(), "write -d u3.bmbt.numrecs 65535");
        DiskImages.xfsDb(image, true, "inode " + oracle.get("etc").inode(), "write -d core.size 9999");

        var fs = xfs(image);
        var walk = FileSystems.read(new FileSystem() {
            // The forged file is listed; opening it is what fails, so read around it.
            @Override
            public String type() {
                return fs.type();
            }

            @Override
            public List<Finding> findings() {
                return fs.findings();
            }

            @Override
            public void walk(
                    java.util.function.Consumer<FileEntry> files, java.util.function.Consumer<Finding> problems) {
                fs.walk(
                        f -> {
                            if (f.reference() != big) {
                                files.accept(f);
                            }
                        },
                        problems);
            }

            @Override
            public FileData open(FileEntry file) {
                return fs.open(file);
            }
        });

        assertThat(walk.problems())
                .extracting(Finding::message)
                .containsExactlyInAnyOrder(
                        "directory /srv/many (inode " + oracle.get("srv/many").inode()
                                + ") cannot be read: extent btree root of level 1 with 65535 records",
                        "directory /etc (inode " + oracle.get("etc").inode()
                                + ") cannot be read: shortform directory of 9999 bytes in a fork of 336");
        assertThat(walk.sha256())
                .containsKey("home/anna/notes.txt")
                .doesNotContainKey("etc/hostname")
                .doesNotContainKey("srv/many/file-00001.dat");
        var entry = new FileEntry("var/lib/big.bin", 0, 0, big, FileEntry.MAIN_STREAM);
        assertThatThrownBy(() -> fs.open(entry))
                .isInstanceOf(CorruptFileSystemException.class)
                .hasMessageContaining("claims 4000000000 extents");
    }

    @Test
    void randomDamageToMetadataEndsInCorruptFileSystemExceptionsNeverInAHangOrAnotherError() throws Exception {
        var small = dir.resolve("small-tree");
        for (int i = 0; i < 300; i++) {
            DiskImages.write(
                    small,
                    (i < 40 ? "block/" : "leaf/") + "entry-with-a-longer-name-" + i,
                    ("x" + i).repeat(i).getBytes(StandardCharsets.UTF_8));
        }
        DiskImages.write(small, "etc/hostname", "web-1".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(small.resolve("etc/link"), Path.of(LONG_TARGET));
        var image = DiskImages.xfs(small, dir.resolve("fuzz.img"), "32M");
        var pristine = Files.readAllBytes(image);
        var oracle = DiskImages.xfsEntries(image);
        // Where the metadata is: the superblock and group headers, the first inode chunk, the directories' blocks.
        List<long[]> regions = new ArrayList<>();
        regions.add(new long[] {0, 4096});
        var geometry = Geometry.of(image);
        for (var directory : List.of("etc", "block", "leaf")) {
            // Inodes come in chunks of 64; an inode number over 8 (inodes per 4 KiB block) is its block.
            long chunk = oracle.get(directory).inode() & ~63L;
            regions.add(new long[] {geometry.byteAddress(chunk >>> 3), 64 * 512});
            for (var e : bmap(image, oracle.get(directory).inode())) {
                regions.add(new long[] {geometry.byteAddress(e[1]), e[2] * geometry.blockSize()});
            }
        }
        var random = new Random(7);
        int corrupt = 0;
        for (int round = 0; round < 400; round++) {
            var bytes = pristine.clone();
            for (int n = 1 + random.nextInt(6); n > 0; n--) {
                var region = regions.get(random.nextInt(regions.size()));
                int at = (int) (region[0] + random.nextInt((int) region[1]));
                bytes[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            var source = new ByteSource() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public int read(long position, byte[] buffer, int offset, int length) {
                    if (position >= bytes.length) {
                        return -1;
                    }
                    int n = (int) Math.min(length, bytes.length - position);
                    System.arraycopy(bytes, (int) position, buffer, offset, n);
                    return n;
                }
            };
            try {
                var fs = XfsFileSystem.open(source, "fuzz");
                List<Finding> problems = new ArrayList<>();
                List<FileEntry> files = new ArrayList<>();
                fs.walk(files::add, problems::add);
                for (var file : files) {
                    try {
                        // The size is as forged as the rest: read what a scan would read first.
                        fs.open(file).head(1 << 20);
                    } catch (CorruptFileSystemException e) {
                        corrupt++;
                    }
                }
                corrupt += problems.size();
            } catch (CorruptFileSystemException e) {
                corrupt++;
            }
        }
        assertThat(corrupt).isPositive();
    }

    @Test
    void aDamagedSuperblockChecksumIsReportedAndTheFilesAreStillRead() throws Exception {
        var image = copy(v5, "sbcrc.img");
        // The free-blocks counter: not needed to read anything, but covered by the checksum.
        DiskImages.overwrite(image, 144, new byte[] {0x7f});

        var fs = xfs(image);

        assertThat(fs.findings()).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.message()).contains("superblock fails its checksum");
        });
        assertThat(FileSystems.read(fs).sha256()).isEqualTo(expected);
    }

    /** What the tests need of an image's superblock, read with xfs_db. */
    private record Geometry(int version, int blockSize, long agBlocks, int agBlockLog, byte[] uuid) {

        static Geometry of(Path image) {
            var out = DiskImages.xfsDb(image, false, "sb 0", "print versionnum blocksize agblocks agblklog uuid");
            Map<String, String> fields = new TreeMap<>();
            out.lines().map(l -> l.split(" = ", 2)).filter(p -> p.length == 2).forEach(p -> fields.put(p[0], p[1]));
            var uuid = java.util.UUID.fromString(fields.get("uuid"));
            var bytes = ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits())
                    .array();
            return new Geometry(
                    Integer.decode(fields.get("versionnum")) & 0xF,
                    Integer.parseInt(fields.get("blocksize")),
                    Long.parseLong(fields.get("agblocks")),
                    Integer.parseInt(fields.get("agblklog")),
                    bytes);
        }

        private static final Pattern BMAP =
                Pattern.compile("data offset (\\d+) startblock (\\d+) \\(\\d+/\\d+\\) count (\\d+) flag \\d");

        /** An {@code xfs_db bmap} line as file block, file-system block, count; null for other lines. */
        static long[] extent(String line) {
            var m = BMAP.matcher(line.trim());
            return m.matches()
                    ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))}
                    : null;
        }

        long byteAddress(long fsBlock) {
            return ((fsBlock >>> agBlockLog) * agBlocks + (fsBlock & ((1L << agBlockLog) - 1))) * blockSize;
        }

        long daddr(long fsBlock) {
            return byteAddress(fsBlock) / 512;
        }

        /** A bmbt leaf (BMA3 with its CRC on v5, BMAP on v4) holding {@code extents} (file block, fs block, count). */
        byte[] bmbtLeaf(long fsBlock, long owner, List<long[]> extents) {
            var b = ByteBuffer.allocate(blockSize);
            b.put((version == 5 ? "BMA3" : "BMAP").getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) 0)
                    .putShort((short) extents.size())
                    .putLong(-1)
                    .putLong(-1);
            if (version == 5) {
                b.putLong(daddr(fsBlock))
                        .putLong(0)
                        .put(uuid)
                        .putLong(owner)
                        .putInt(0)
                        .putInt(0);
            }
            for (var e : extents) {
                b.putLong(e[0] << 9 | e[1] >>> 43).putLong(e[1] << 21 | e[2]);
            }
            var block = b.array();
            if (version == 5) {
                var crc = new CRC32C();
                crc.update(block);
                ByteBuffer.wrap(block, 64, 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putInt((int) crc.getValue());
            }
            return block;
        }
    }
}
