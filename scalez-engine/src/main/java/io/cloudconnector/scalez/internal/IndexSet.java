package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.ChunkIndex;
import io.cloudconnector.scalez.index.IndexFile;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * All index files of a repository, loaded: the chunk index, each file's packs, and the files that are
 * damaged (reported by check; a backup just re-uploads what they would have listed).
 *
 * <p>{@link #load} keeps every file's contents, for maintenance that walks them. {@link #loadForWriting} keeps only
 * the chunk index (which spills beyond its memory budget) and the files' keys, so that a backup's memory does not
 * grow with the repository.
 */
public final class IndexSet {

    private final ChunkIndex index;
    private final @Nullable Map<String, IndexFile> files;
    private final Set<String> keys = new LinkedHashSet<>();
    private final List<Finding> damaged = new ArrayList<>();

    private IndexSet(ChunkIndex index, boolean keepFiles) {
        this.index = index;
        this.files = keepFiles ? new LinkedHashMap<>() : null;
    }

    /** Every index file, with its contents. */
    public static IndexSet load(RepositoryContext ctx) {
        return load(ctx, new ChunkIndex(), true);
    }

    /** Every index file into the chunk index, keeping only the files' keys (a writer needs no more). */
    public static IndexSet loadForWriting(RepositoryContext ctx) {
        return load(ctx, new ChunkIndex(), false);
    }

    /** Every index file into {@code index}, keeping the files' contents too if {@code keepFiles}. */
    public static IndexSet load(RepositoryContext ctx, ChunkIndex index, boolean keepFiles) {
        var set = new IndexSet(index, keepFiles);
        for (var info : ctx.store().list("index/")) {
            set.load(ctx, info.key());
        }
        return set;
    }

    /** The chunk index of every loaded file. */
    public ChunkIndex index() {
        return index;
    }

    /** Each loaded file's contents by key; only for a set from {@link #load}. */
    public Map<String, IndexFile> files() {
        if (files == null) {
            throw new IllegalStateException("Index files loaded for writing keep no contents");
        }
        return files;
    }

    /** The keys of the loaded files. */
    public Set<String> fileKeys() {
        synchronized (keys) {
            return Set.copyOf(keys);
        }
    }

    /** The damaged files. */
    public List<Finding> damaged() {
        return damaged;
    }

    /**
     * Adds to this set's index the index files written since it was loaded (by other writers, or by a ScaleZ
     * server handing a backup over); returns their keys.
     */
    public List<String> addNewFiles(RepositoryContext ctx) {
        var added = new ArrayList<String>();
        for (var info : ctx.store().list("index/")) {
            synchronized (keys) {
                if (!keys.contains(info.key()) && load(ctx, info.key())) {
                    added.add(info.key());
                }
            }
        }
        return added;
    }

    private boolean load(RepositoryContext ctx, String key) {
        try {
            var id = ObjectId.parse(key.substring("index/".length()));
            var stored = ctx.readAddressed(key, id);
            var plain = ctx.aead().open(stored, IndexFile.AAD);
            if (files != null) {
                var file = IndexFile.decode(plain);
                files.put(key, file);
                for (var pack : file.packs()) {
                    index.addPack(pack.packId(), pack.entries());
                }
            } else {
                IndexFile.forEachPack(plain, index::addPack);
            }
            synchronized (keys) {
                keys.add(key);
            }
            return true;
        } catch (CorruptObjectException e) {
            damaged.add(new Finding(key, Objects.requireNonNull(e.getMessage()).substring(key.length() + 2)));
        } catch (DecryptionException | FormatException e) {
            damaged.add(new Finding(key, "does not decrypt or parse: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            damaged.add(new Finding(key, "is not named by a SHA-256"));
        } catch (BlobNotFoundException e) {
            // removed by a prune between list and get
        }
        return false;
    }

    /** Every pack listed by some index file, each once, with the entries of its first listing; only for {@link #load}. */
    public Map<ObjectId, PackContents> packs() {
        var packs = new LinkedHashMap<ObjectId, PackContents>();
        for (var file : files().values()) {
            for (var pack : file.packs()) {
                packs.putIfAbsent(pack.packId(), pack);
            }
        }
        return packs;
    }
}
