package io.cloudconnector.scalez.index;

import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where every chunk of a repository lives. Up to a budget of entries ({@link #DEFAULT_MEMORY_ENTRIES}, or the
 * {@value #MEMORY_ENTRIES_PROPERTY} system property) it is an open-addressing table over parallel primitive arrays,
 * about 60 bytes a chunk. Beyond the budget the table is sorted and spilled to a local file as a run, and the runs are
 * merged into one sorted file, with a Bloom filter (10 bits an entry) and a fence of every block's first id in memory
 * (about 1.6 bytes an entry in all): a lookup of a chunk that is not there (most new chunks) costs no disk access,
 * one that is there costs one positional read. Memory thus stays bounded whatever the repository holds. The spill file
 * is a local cache, unlinked as soon as it is created.
 *
 * <p>The first location added for an id wins. While more than the budget is being added (loading the index files),
 * {@link #add} may report an id as new that a spilled run already holds; the runs are merged, oldest first, before
 * the next lookup, so lookups, {@link #size} and which location wins are exact. Thread-safe.
 */
public final class ChunkIndex {

    /** System property: how many entries the index holds in memory before spilling to disk. */
    public static final String MEMORY_ENTRIES_PROPERTY = "scalez.index.memoryEntries";

    /** System property: the directory of spill files (default {@code java.io.tmpdir}). */
    public static final String SPILL_DIRECTORY_PROPERTY = "scalez.index.spillDirectory";

    /** Entries held in memory before spilling: about 64 MiB. */
    public static final int DEFAULT_MEMORY_ENTRIES = 1 << 20;

    private static final int INITIAL = 1024;

    private final int memoryEntries;
    private final Path spillDirectory;

    private long[] ids = new long[4 * INITIAL];
    private int[] packs = new int[INITIAL];
    private int[] offsets = new int[INITIAL];
    private int[] lengths = new int[INITIAL];
    private int[] rawLengths = new int[INITIAL];
    private byte[] kinds = new byte[INITIAL];
    private int size;
    private int[] table = new int[2 * INITIAL];
    private final PackTable packTable = new PackTable();

    // Spilled: runs not yet merged (in one unlinked file), and the merged, searchable records.
    private @Nullable FileChannel runFile;
    private long runBytes;
    private final List<SortedRecords.Run> runs = new ArrayList<>();
    private @Nullable SortedRecords spilled;

    /** An index with the budget and spill directory of the system properties, or the defaults. */
    public ChunkIndex() {
        this(
                Integer.getInteger(MEMORY_ENTRIES_PROPERTY, DEFAULT_MEMORY_ENTRIES),
                Path.of(System.getProperty(SPILL_DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir"))));
    }

    /** An index that holds up to {@code memoryEntries} entries in memory and spills the rest to {@code directory}. */
    public ChunkIndex(int memoryEntries, Path spillDirectory) {
        if (memoryEntries < 1) {
            throw new IllegalArgumentException("memoryEntries must be at least 1, was " + memoryEntries);
        }
        this.memoryEntries = memoryEntries;
        this.spillDirectory = spillDirectory;
    }

    /** Adds every entry of a pack; returns how many ids were new. The pack is known afterwards even if none were. */
    public synchronized int addPack(ObjectId packId, List<PackEntry> entries) {
        packTable.number(packId);
        int added = 0;
        for (var e : entries) {
            if (add(packId, e)) {
                added++;
            }
        }
        return added;
    }

    /** Adds one location; {@code false} if the id already had one (see the class comment while spilling). */
    public synchronized boolean add(ObjectId packId, PackEntry entry) {
        var id = entry.id();
        int slot = slot(id.a(), id.b(), id.c(), id.d());
        if (table[slot] != 0) {
            return false;
        }
        var disk = spilled;
        if (disk != null && disk.find(id.a(), id.b(), id.c(), id.d()) != null) {
            return false;
        }
        if (size == packs.length) {
            grow();
        }
        int pack = packTable.number(packId);
        ids[4 * size] = id.a();
        ids[4 * size + 1] = id.b();
        ids[4 * size + 2] = id.c();
        ids[4 * size + 3] = id.d();
        packs[size] = pack;
        offsets[size] = Math.toIntExact(entry.offset());
        lengths[size] = entry.length();
        rawLengths[size] = entry.rawLength();
        kinds[size] = (byte) (entry.type().code() << 4 | entry.codec().code());
        size++;
        table[slot] = size;
        if (size >= memoryEntries) {
            spillRun();
        } else if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
        return true;
    }

    /** Where {@code id} is stored, or {@code null}. */
    public synchronized @Nullable Location find(ObjectId id) {
        merge();
        int n = table[slot(id.a(), id.b(), id.c(), id.d())];
        if (n != 0) {
            int i = n - 1;
            return location(id, packs[i], kinds[i], rawLengths[i], offsets[i], lengths[i]);
        }
        var disk = spilled;
        var record = disk == null ? null : disk.find(id.a(), id.b(), id.c(), id.d());
        if (record == null) {
            return null;
        }
        return location(
                id,
                SortedRecords.field(record, 32),
                record[48],
                SortedRecords.field(record, 44),
                SortedRecords.field(record, 36),
                SortedRecords.field(record, 40));
    }

    private Location location(ObjectId id, int pack, byte kind, int rawLength, int offset, int length) {
        var entry = new PackEntry(
                id,
                BlobType.ofCode(kind >> 4),
                Codec.ofCode(kind & 0xf),
                rawLength,
                Integer.toUnsignedLong(offset),
                length);
        return new Location(packTable.get(pack), entry);
    }

    /** Whether {@code id} is stored somewhere. */
    public synchronized boolean contains(ObjectId id) {
        merge();
        if (table[slot(id.a(), id.b(), id.c(), id.d())] != 0) {
            return true;
        }
        var disk = spilled;
        return disk != null && disk.find(id.a(), id.b(), id.c(), id.d()) != null;
    }

    /** Number of chunks. */
    public synchronized int size() {
        merge();
        var disk = spilled;
        return Math.toIntExact(size + (disk == null ? 0 : disk.count()));
    }

    /** Chunks held in the spill file rather than in memory (after merging what was spilled so far). */
    public synchronized long spilledSize() {
        merge();
        var disk = spilled;
        return disk == null ? 0 : disk.count();
    }

    /** Every pack added (by {@link #addPack}, or holding a chunk added by {@link #add}), in the order first added. */
    public synchronized List<ObjectId> packs() {
        return packTable.all();
    }

    /** Whether {@code packId} is one of {@link #packs()}. */
    public synchronized boolean hasPack(ObjectId packId) {
        return packTable.contains(packId);
    }

    /** Number of {@link #packs()}. */
    public synchronized int packCount() {
        return packTable.size();
    }

    /** Releases the spill file at once (it is released anyway when this index is collected); empties the index. */
    public synchronized void close() {
        var disk = spilled;
        if (disk != null) {
            disk.close();
            spilled = null;
        }
        var file = runFile;
        if (file != null) {
            SortedRecords.closeQuietly(file);
            runFile = null;
        }
        runs.clear();
        runBytes = 0;
        clearMemory();
    }

    // --- spilling ----------------------------------------------------------------------------------------------------

    // Writes the in-memory entries, sorted by id, as a run, and empties memory.
    private void spillRun() {
        if (size == 0) {
            return;
        }
        var file = runFile;
        if (file == null) {
            file = SortedRecords.anonymousFile(spillDirectory);
            runFile = file;
        }
        int[] order = sortedOrder();
        var buffer = ByteBuffer.allocate(SortedRecords.RECORD * 8192);
        long start = runBytes;
        try {
            for (int k = 0; k < size; k++) {
                int i = order[k];
                if (!buffer.hasRemaining()) {
                    runBytes += write(file, buffer, runBytes);
                }
                buffer.putLong(ids[4 * i])
                        .putLong(ids[4 * i + 1])
                        .putLong(ids[4 * i + 2])
                        .putLong(ids[4 * i + 3])
                        .putInt(packs[i])
                        .putInt(offsets[i])
                        .putInt(lengths[i])
                        .putInt(rawLengths[i])
                        .put(kinds[i]);
            }
            runBytes += write(file, buffer, runBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the index spill file in " + spillDirectory, e);
        }
        runs.add(new SortedRecords.Run(file, start, size));
        clearMemory();
    }

    private static int write(FileChannel file, ByteBuffer buffer, long position) throws IOException {
        buffer.flip();
        int n = buffer.remaining();
        while (buffer.hasRemaining()) {
            file.write(buffer, position + n - buffer.remaining());
        }
        buffer.clear();
        return n;
    }

    // Indexes of the in-memory entries in id order: sort (high bits of the first long | index), then fix the rare
    // groups that share those high bits.
    private int[] sortedOrder() {
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
        long mask = (1L << bits) - 1;
        var keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ((ids[4 * i] >>> bits) << bits | i) ^ Long.MIN_VALUE;
        }
        Arrays.sort(keys);
        var order = new int[size];
        for (int k = 0; k < size; k++) {
            order[k] = (int) (keys[k] & mask);
        }
        int k = 0;
        while (k < size) {
            long prefix = keys[k] >>> bits;
            int end = k + 1;
            while (end < size && keys[end] >>> bits == prefix) {
                end++;
            }
            if (end - k > 1) {
                var group = new Integer[end - k];
                for (int g = 0; g < group.length; g++) {
                    group[g] = order[k + g];
                }
                Arrays.sort(group, this::compareIds);
                for (int g = 0; g < group.length; g++) {
                    order[k + g] = group[g];
                }
            }
            k = end;
        }
        return order;
    }

    private int compareIds(int x, int y) {
        for (int p = 0; p < 4; p++) {
            int r = Long.compareUnsigned(ids[4 * x + p], ids[4 * y + p]);
            if (r != 0) {
                return r;
            }
        }
        return 0;
    }

    // Merges the runs (and what is in memory, the newest) with the spilled records (the oldest) into one file.
    private void merge() {
        if (runs.isEmpty()) {
            return;
        }
        spillRun();
        // Memory is empty now: give back the arrays sized for the budget before the merge allocates its filter.
        ids = new long[4 * INITIAL];
        packs = new int[INITIAL];
        offsets = new int[INITIAL];
        lengths = new int[INITIAL];
        rawLengths = new int[INITIAL];
        kinds = new byte[INITIAL];
        table = new int[2 * INITIAL];
        var old = spilled;
        var inputs = new ArrayList<SortedRecords.Run>();
        if (old != null) {
            inputs.add(old.asRun());
        }
        inputs.addAll(runs);
        spilled = SortedRecords.merge(spillDirectory, inputs);
        if (old != null) {
            old.close();
        }
        var file = runFile;
        if (file != null) {
            SortedRecords.closeQuietly(file);
        }
        runFile = null;
        runs.clear();
        runBytes = 0;
    }

    private void clearMemory() {
        size = 0;
        Arrays.fill(table, 0);
    }

    // The slot holding id, or the empty slot where it would go.
    private int slot(long a, long b, long c, long d) {
        return IdSlots.slot(table, ids, a, b, c, d);
    }

    private void grow() {
        int capacity = (int) Math.min(packs.length * 2L, Math.max(memoryEntries, INITIAL));
        ids = Arrays.copyOf(ids, 4 * capacity);
        packs = Arrays.copyOf(packs, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
        rawLengths = Arrays.copyOf(rawLengths, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int i = 0; i < size; i++) {
            table[slot(ids[4 * i], ids[4 * i + 1], ids[4 * i + 2], ids[4 * i + 3])] = i + 1;
        }
    }

    /** A chunk's pack and entry. */
    public record Location(ObjectId packId, PackEntry entry) {}
}
