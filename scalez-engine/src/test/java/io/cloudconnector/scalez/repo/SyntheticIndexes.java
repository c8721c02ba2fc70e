package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.internal.ChunkSaver;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.util.ArrayList;

/**
 * Index files of a large synthetic vault, written with the engine's own writer (sealed like any index file), for
 * packs that do not exist: enough for a backup to load and dedup against, without the data. Chunk {@code i}'s id is a
 * pure function of the seed and {@code i}, so that a reader can ask for known ids.
 */
public final class SyntheticIndexes {

    /** Chunks a synthetic pack holds: 16 MiB packs of 1 MiB chunks. */
    public static final int CHUNKS_PER_PACK = 16;

    /** Packs an index file lists: as many as a backup writes to one. */
    public static final int PACKS_PER_FILE = ChunkSaver.MAX_PACKS_PER_INDEX_FILE;

    private SyntheticIndexes() {}

    /** Writes index files listing {@code chunks} chunks; returns how many files. */
    public static int write(RepositoryContext ctx, long seed, long chunks) {
        int files = 0;
        long chunk = 0;
        long pack = 0;
        while (chunk < chunks) {
            var packs = new ArrayList<PackContents>(PACKS_PER_FILE);
            while (packs.size() < PACKS_PER_FILE && chunk < chunks) {
                var entries = new ArrayList<PackEntry>(CHUNKS_PER_PACK);
                long offset = 0;
                for (int i = 0; i < CHUNKS_PER_PACK && chunk < chunks; i++, chunk++) {
                    int length = 700_000 + (int) (chunk % 300_000);
                    entries.add(
                            new PackEntry(chunkId(seed, chunk), BlobType.DATA, Codec.ZSTD, 1 << 20, offset, length));
                    offset += length;
                }
                packs.add(new PackContents(id(seed ^ 0x5eed, pack++), entries));
            }
            ChunkSaver.writeIndex(ctx, packs);
            files++;
        }
        return files;
    }

    /** The id of synthetic chunk {@code i}. */
    public static ObjectId chunkId(long seed, long i) {
        return id(seed, i);
    }

    private static ObjectId id(long seed, long i) {
        long base = seed * 0x9e3779b97f4a7c15L + 4 * i;
        return new ObjectId(mix(base), mix(base + 1), mix(base + 2), mix(base + 3));
    }

    // SplitMix64's finalizer.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
