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
import java.util.List;
import java.util.Map;

/**
 * All index files of a repository, loaded: the chunk index, each file's packs, and the files that are
 * damaged (reported by check; a backup just re-uploads what they would have listed).
 */
public record IndexSet(ChunkIndex index, Map<String, IndexFile> files, List<Finding> damaged) {

    public static IndexSet load(RepositoryContext ctx) {
        var index = new ChunkIndex();
        var files = new LinkedHashMap<String, IndexFile>();
        var damaged = new ArrayList<Finding>();
        for (var info : ctx.store().list("index/")) {
            load(ctx, info.key(), index, files, damaged);
        }
        return new IndexSet(index, files, damaged);
    }

    /**
     * Adds to this set's index the index files written since it was loaded (by other writers, or by a ScaleZ
     * server handing a backup over); returns their keys.
     */
    public List<String> addNewFiles(RepositoryContext ctx) {
        var added = new ArrayList<String>();
        for (var info : ctx.store().list("index/")) {
            synchronized (files) {
                if (!files.containsKey(info.key()) && load(ctx, info.key(), index, files, damaged)) {
                    added.add(info.key());
                }
            }
        }
        return added;
    }

    private static boolean load(
            RepositoryContext ctx, String key, ChunkIndex index, Map<String, IndexFile> files, List<Finding> damaged) {
        try {
            var id = ObjectId.parse(key.substring("index/".length()));
            var stored = ctx.readAddressed(key, id);
            var file = IndexFile.decode(ctx.aead().open(stored, IndexFile.AAD));
            files.put(key, file);
            for (var pack : file.packs()) {
                index.addPack(pack.packId(), pack.entries());
            }
            return true;
        } catch (CorruptObjectException e) {
            damaged.add(new Finding(
                    key, java.util.Objects.requireNonNull(e.getMessage()).substring(key.length() + 2)));
        } catch (DecryptionException | FormatException e) {
            damaged.add(new Finding(key, "does not decrypt or parse: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            damaged.add(new Finding(key, "is not named by a SHA-256"));
        } catch (BlobNotFoundException e) {
            // removed by a prune between list and get
        }
        return false;
    }

    /** Every pack listed by some index file, each once, with the entries of its first listing. */
    public Map<ObjectId, PackContents> packs() {
        var packs = new LinkedHashMap<ObjectId, PackContents>();
        for (var file : files.values()) {
            for (var pack : file.packs()) {
                packs.putIfAbsent(pack.packId(), pack);
            }
        }
        return packs;
    }
}
