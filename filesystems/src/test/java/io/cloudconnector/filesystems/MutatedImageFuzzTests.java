package io.cloudconnector.filesystems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cloudconnector.filesystems.LvmImages.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Untrusted input: real images with bits flipped, fields forged to extreme values, ranges zeroed and the
 * end cut off, read the way a scan reads them — partition table, every volume and logical volume opened,
 * every file listed and its first MiB read. Each try must end in results or a
 * {@link CorruptFileSystemException} (which a scan turns into a finding or an {@code unrecognised}
 * volume), within {@link #TIME_BOUND}, allocating no more than {@link #ALLOCATION_BOUND} (a reader that
 * trusts a forged count allocates far more, or runs out of memory). Mutations land mostly in the sectors
 * that are not zero in the original image, where the metadata is.
 */
class MutatedImageFuzzTests {

    private static final Duration TIME_BOUND = Duration.ofSeconds(10);
    private static final long ALLOCATION_BOUND = 256L << 20;
    /** What a scan reads of a file at most here (its {@code maxFileBytes} is larger; a forged size must not matter). */
    private static final int READ_LIMIT = 1 << 20;

    private static final int SECTOR = 512;

    /**
     * An image to mutate: how to build it (in a directory of its own) and the sectors its metadata is in,
     * where mutations land; by default every sector that is not all zeros.
     */
    record ImageBuilder(Function<Path, Path> build, Function<byte[], int[]> metadataSectors) {
        ImageBuilder(Function<Path, Path> build) {
            this(build, MutatedImageFuzzTests::nonZeroSectors);
        }
    }

    /**
     * The images, each built once from real tools. Another reader's image goes here (one builder each) and
     * is then mutated like the rest.
     */
    private static final Map<String, ImageBuilder> IMAGE_BUILDERS = new LinkedHashMap<>();

    static {
        IMAGE_BUILDERS.put("ext4", new ImageBuilder(dir -> ext4Image(dir)));
        // Block maps instead of extents, and no checksums to stop a mutation at the superblock.
        IMAGE_BUILDERS.put(
                "ext2",
                new ImageBuilder(dir -> ext4Image(
                        dir,
                        "-O",
                        "^extent,^metadata_csum,^has_journal,^flex_bg,^64bit,^huge_file,^dir_nlink,^extra_isize")));
        IMAGE_BUILDERS.put(
                "ntfs", new ImageBuilder(MutatedImageFuzzTests::ntfsImage, MutatedImageFuzzTests::ntfsMetadataSectors));
        IMAGE_BUILDERS.put("lvm2", new ImageBuilder(MutatedImageFuzzTests::lvmImage));
        IMAGE_BUILDERS.put("xfs", new ImageBuilder(MutatedImageFuzzTests::xfsImage));
    }

    private static Path dir;
    private static final Map<String, byte[]> IMAGES = new LinkedHashMap<>();
    /** Sector numbers holding something, per image: where mutations mostly land. */
    private static final Map<String, int[]> HOT = new LinkedHashMap<>();

    private static final Map<String, AtomicLong> TRIED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> SURVIVED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> CORRUPT = new ConcurrentHashMap<>();

    sealed interface Mutation {
        void apply(byte[] image, int[] hot);
    }

    /** Flips one bit. */
    record FlipBit(int sector, int offset, int bit) implements Mutation {
        @Override
        public void apply(byte[] image, int[] hot) {
            int at = position(image, hot, sector, offset);
            image[at] ^= (byte) (1 << bit);
        }
    }

    /** Writes an extreme value (all ones, the sign bit, a large power of two) into a field of 1, 2, 4 or 8 bytes. */
    record Forge(int sector, int offset, int width, long value) implements Mutation {
        @Override
        public void apply(byte[] image, int[] hot) {
            int at = position(image, hot, sector, offset);
            for (int i = 0; i < width && at + i < image.length; i++) {
                image[at + i] = (byte) (value >>> 8 * i);
            }
        }
    }

    /** Zeros {@code length} bytes. */
    record Zero(int sector, int offset, int length) implements Mutation {
        @Override
        public void apply(byte[] image, int[] hot) {
            int at = position(image, hot, sector, offset);
            Arrays.fill(image, at, Math.min(image.length, at + length), (byte) 0);
        }
    }

    /** Marks where the image ends; applied last (see {@link #mutate}). */
    record Truncate(double keep) implements Mutation {
        @Override
        public void apply(byte[] image, int[] hot) {}
    }

    private static int position(byte[] image, int[] hot, int sector, int offset) {
        long at = hot.length == 0 ? (long) sector * SECTOR + offset : (long) hot[sector % hot.length] * SECTOR + offset;
        return (int) (at % image.length);
    }

    @BeforeContainer
    static void buildImages() throws IOException {
        dir = Files.createTempDirectory("fuzz-images-");
        IMAGE_BUILDERS.forEach((name, builder) -> {
            try {
                var own = Files.createDirectories(dir.resolve(name));
                var image = Files.readAllBytes(builder.build().apply(own));
                IMAGES.put(name, image);
                HOT.put(name, builder.metadataSectors().apply(image));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Each original image reads cleanly, with its files, before it is mutated.
        IMAGES.forEach((name, image) -> {
            var errors = new AtomicLong();
            assertThat(scan(image, errors)).as(name).isGreaterThan(1);
            assertThat(errors).as(name).hasValue(0);
        });
    }

    @AfterContainer
    static void report() throws IOException {
        for (var name : IMAGES.keySet()) {
            System.out.printf(
                    "fuzz %s: %d of %d mutated images read to results or clean corruption errors "
                            + "(%d of those hit a CorruptFileSystemException)%n",
                    name,
                    SURVIVED.getOrDefault(name, new AtomicLong()).get(),
                    TRIED.getOrDefault(name, new AtomicLong()).get(),
                    CORRUPT.getOrDefault(name, new AtomicLong()).get());
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 3000, seed = "20261207", edgeCases = EdgeCasesMode.NONE)
    void aMutatedImageEndsInResultsOrACleanErrorInBoundedTimeAndMemory(
            @ForAll("images") String name, @ForAll("mutations") List<Mutation> mutations) {
        var image = mutate(IMAGES.get(name), HOT.get(name), mutations);
        TRIED.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var errors = new AtomicLong();
        long allocated = assertTimeoutPreemptively(
                TIME_BOUND,
                () -> {
                    long before = bean.getCurrentThreadAllocatedBytes();
                    scan(image, errors);
                    return bean.getCurrentThreadAllocatedBytes() - before;
                },
                () -> name + " with " + mutations + " did not finish within " + TIME_BOUND);
        if (errors.get() > 0) {
            CORRUPT.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        }
        assertThat(allocated).as(name + " with " + mutations + " allocated").isLessThan(ALLOCATION_BOUND);
        SURVIVED.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    /** Found by the property: an NTFS attribute whose name offset points past its record (was an IndexOutOfBounds). */
    @Example
    void anAttributeNamePastItsRecordIsCorruption() {
        aMutatedImageEndsInResultsOrACleanErrorInBoundedTimeAndMemory("ntfs", List.of(new FlipBit(0, 173, 2)));
    }

    /** Found by the property: an ext directory whose forged extents overlap (FileData.read looped forever). */
    @Example
    void overlappingExtentsOfADirectoryAreCorruption() {
        aMutatedImageEndsInResultsOrACleanErrorInBoundedTimeAndMemory(
                "ext4",
                List.of(
                        new Forge(14, 29, 4, Long.MIN_VALUE),
                        new FlipBit(2625, 139, 1),
                        new FlipBit(113, 18, 6),
                        new Forge(1261, 38, 4, Long.MIN_VALUE),
                        new Forge(30789, 188, 1, 65535),
                        new FlipBit(26611, 42, 1),
                        new Forge(89430, 183, 4, Long.MAX_VALUE),
                        new Forge(67, 376, 2, 65536),
                        new Forge(660, 44, 8, 65536)));
    }

    @Provide
    Arbitrary<String> images() {
        return Arbitraries.of(List.copyOf(IMAGE_BUILDERS.keySet()));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        var sector = Arbitraries.integers().greaterOrEqual(0);
        var offset = Arbitraries.integers().between(0, SECTOR - 1);
        Arbitrary<Mutation> flip = Combinators.combine(
                        sector, offset, Arbitraries.integers().between(0, 7))
                .as(FlipBit::new);
        Arbitrary<Mutation> forge = Combinators.combine(
                        sector,
                        offset,
                        Arbitraries.of(1, 2, 4, 8),
                        Arbitraries.of(
                                -1L,
                                0x7FFF_FFFFL,
                                0x8000_0000L,
                                0x7FFF_FFFF_FFFF_FFFFL,
                                Long.MIN_VALUE,
                                1L << 40,
                                0xFFFFL,
                                0x10000L,
                                0L))
                .as(Forge::new);
        Arbitrary<Mutation> zero = Combinators.combine(
                        sector, offset, Arbitraries.integers().between(1, 8192))
                .as(Zero::new);
        Arbitrary<Mutation> truncate = Arbitraries.doubles().between(0, 1).map(Truncate::new);
        return Arbitraries.frequencyOf(Tuple.of(4, flip), Tuple.of(4, forge), Tuple.of(2, zero), Tuple.of(1, truncate))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    private static byte[] mutate(byte[] original, int[] hot, List<Mutation> mutations) {
        var image = original.clone();
        int length = image.length;
        for (var m : mutations) {
            if (m instanceof Truncate(var keep)) {
                length = Math.min(length, (int) (original.length * keep));
            } else {
                m.apply(image, hot);
            }
        }
        return length == image.length ? image : Arrays.copyOf(image, length);
    }

    /**
     * Reads {@code image} as a scan does (RecoveryPointLayout, then RecoveryPointScanner); returns how many
     * files it listed, and counts the corruption errors a scan would report in {@code errors}. Opening a
     * volume must not throw at all: the layout does not expect it to.
     */
    static int scan(byte[] image, AtomicLong errors) {
        var disk = bytes(image);
        List<Disks.Volume> volumes;
        try {
            volumes = Disks.volumes(disk, "disk0", f -> {});
        } catch (CorruptFileSystemException e) {
            errors.incrementAndGet();
            return 0;
        }
        int files = 0;
        for (var volume : volumes) {
            var content = Disks.open(disk.slice(volume.offset(), volume.length()), volume.name());
            files += walk(content, errors);
            if (content instanceof Disks.PhysicalVolume pv) {
                for (var lv : pv.logicalVolumes()) {
                    files += walk(lv.content(), errors);
                }
            }
        }
        return files;
    }

    private static int walk(Disks.Content content, AtomicLong errors) {
        if (content instanceof Disks.Unrecognised) {
            errors.incrementAndGet();
        }
        if (!(content instanceof Disks.Readable(var fs))) {
            return 0;
        }
        fs.findings();
        List<FileEntry> files = new ArrayList<>();
        try {
            fs.walk(files::add, f -> {});
        } catch (CorruptFileSystemException e) {
            // Listing failed part-way: the scan reports it and scans what it listed.
            errors.incrementAndGet();
        }
        var buffer = new byte[64 * 1024];
        for (var file : files) {
            try {
                var data = fs.open(file);
                long limit = Math.min(file.size(), READ_LIMIT);
                for (long at = 0; at < limit; ) {
                    int n = data.read(at, buffer, 0, (int) Math.min(buffer.length, limit - at));
                    if (n <= 0) {
                        break;
                    }
                    at += n;
                }
            } catch (CorruptFileSystemException e) {
                // One unreadable file: the scan counts it and goes on.
                errors.incrementAndGet();
            }
        }
        return files.size();
    }

    private static ByteSource bytes(byte[] image) {
        return new ByteSource() {
            @Override
            public long size() {
                return image.length;
            }

            @Override
            public int read(long position, byte[] buffer, int offset, int length) {
                if (position >= image.length) {
                    return -1;
                }
                int n = (int) Math.min(length, image.length - position);
                System.arraycopy(image, (int) position, buffer, offset, n);
                return n;
            }
        };
    }

    static int[] nonZeroSectors(byte[] image) {
        return nonZeroSectors(image, 0, image.length / SECTOR);
    }

    private static int[] nonZeroSectors(byte[] image, int from, int to) {
        List<Integer> hot = new ArrayList<>();
        for (int s = from; s < Math.min(to, image.length / SECTOR); s++) {
            for (int i = s * SECTOR; i < (s + 1) * SECTOR; i++) {
                if (image[i] != 0) {
                    hot.add(s);
                    break;
                }
            }
        }
        return hot.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The boot sector and the MFT's first 256 KiB (mkntfs fills most other sectors: $LogFile, $UpCase). */
    private static int[] ntfsMetadataSectors(byte[] image) {
        long cluster = (long) Le.u16(image, 0x0B) * Le.u8(image, 0x0D);
        int mft = (int) (Le.u64(image, 0x30) * cluster / SECTOR);
        var sectors = nonZeroSectors(image, mft, mft + 512);
        var out = Arrays.copyOf(sectors, sectors.length + 1);
        out[sectors.length] = 0;
        return out;
    }

    private static Map<String, byte[]> tree() {
        var random = new Random(7);
        Map<String, byte[]> files = new TreeMap<>();
        files.put("etc/hostname", "db1\n".getBytes(StandardCharsets.UTF_8));
        var text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("row ").append(i).append(",").append(random.nextInt()).append('\n');
        }
        files.put("home/data/table.csv", text.toString().getBytes(StandardCharsets.UTF_8));
        var noise = new byte[20_000];
        random.nextBytes(noise);
        files.put("home/data/blob.bin", noise);
        for (int i = 0; i < 30; i++) {
            files.put(
                    "var/log/app-" + i + ".log",
                    ("entry " + i + "\n").repeat(i * 10).getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static Path ext4Image(Path dir, String... options) {
        var source = dir.resolve("ext4-tree");
        tree().forEach((path, bytes) -> DiskImages.write(source, path, bytes));
        return DiskImages.ext4(source, dir.resolve("fuzz.ext4"), "6M", options);
    }

    private static Path ntfsImage(Path dir) {
        Map<String, Path> files = new LinkedHashMap<>();
        var local = dir.resolve("ntfs-files");
        tree().forEach((path, bytes) -> {
            String name = path.replace('/', '_');
            files.put(name, DiskImages.write(local, name, bytes));
        });
        return DiskImages.ntfs(dir.resolve("fuzz.ntfs"), 6 << 20, files);
    }

    /** The smallest XFS (v5) that mkfs.xfs makes, holding the tree. */
    private static Path xfsImage(Path dir) {
        var source = dir.resolve("xfs-tree");
        tree().forEach((path, bytes) -> DiskImages.write(source, path, bytes));
        return DiskImages.xfs(source, dir.resolve("fuzz.xfs"), "32M");
    }

    /** A physical volume whose one logical volume holds the ext4 file system in two segments, out of order. */
    private static Path lvmImage(Path dir) {
        var source = dir.resolve("lvm-tree");
        tree().forEach((path, bytes) -> DiskImages.write(source, path, bytes));
        var ext4 = DiskImages.ext4(source, dir.resolve("fuzz-lv.ext4"), "8M");
        var image = dir.resolve("fuzz.lvm");
        long size = LvmImages.PE_START + 3 * LvmImages.EXTENT;
        DiskImages.sparse(image, size);
        Segment[] segments = {new Segment(1, 1, 0), new Segment(0, 1, 2)};
        LvmImages.physicalVolume(
                image, 0, size, "vg0", List.of(LvmImages.linear("root", segments), LvmImages.striped("fast", 1, 1, 1)));
        LvmImages.placeExtents(ext4, image, 0, segments);
        return image;
    }
}
