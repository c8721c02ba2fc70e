package io.cloudconnector.scalez.restore;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.ChunkRef;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.MetaReader;
import io.cloudconnector.scalez.internal.NodeStream;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.SourceKind;
import io.cloudconnector.scalez.model.TreeNode;
import io.cloudconnector.scalez.source.EntryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random access to a recovery point's bytes: any range of a block device, file or stream, and the files of a
 * tree by path (file-level restore and scans read through this). Chunks are verified as they load; the
 * last few are cached. Thread-safe.
 */
public final class RecoveryPointReader {

    private static final int CACHE_CHUNKS = 8;

    private final ChunkLoader loader;
    private final Manifest manifest;
    private final long size;
    // BLOCK: one page of the block map at a time. FILE/STREAM/tree files: the whole chunk list.
    private final ObjectId[] chunkIds;
    private final long[] chunkOffsets;
    private final Map<ObjectId, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectId, byte[]> eldest) {
            return size() > CACHE_CHUNKS;
        }
    };
    private int pageNo = -1;
    private byte[] page = new byte[0];

    private RecoveryPointReader(ChunkLoader loader, Manifest manifest, long size, List<ChunkRef> chunks) {
        this.loader = loader;
        this.manifest = manifest;
        this.size = size;
        this.chunkIds = new ObjectId[chunks.size()];
        this.chunkOffsets = new long[chunks.size() + 1];
        for (int i = 0; i < chunks.size(); i++) {
            chunkIds[i] = chunks.get(i).id();
            chunkOffsets[i + 1] = chunkOffsets[i] + chunks.get(i).length();
        }
    }

    /** A reader of {@code manifest}'s content; for the engine (its parameters are engine-internal types). */
    public static RecoveryPointReader of(ChunkLoader loader, Manifest manifest) {
        var kind = manifest.summary().kind();
        List<ChunkRef> chunks = new ArrayList<>();
        if (kind == SourceKind.FILE || kind == SourceKind.STREAM) {
            var meta = new MetaReader(loader, manifest.roots());
            while (!meta.atEnd()) {
                chunks.add(meta.ref());
            }
        }
        long size = kind == SourceKind.TREE ? 0 : manifest.summary().logicalSize();
        return new RecoveryPointReader(loader, manifest, size, chunks);
    }

    /** The recovery point read. */
    public RecoveryPoint recoveryPoint() {
        return manifest.summary();
    }

    /** Size in bytes of the device, file or stream (0 for a tree; open its files instead). */
    public long size() {
        return size;
    }

    /**
     * Reads up to {@code length} bytes at {@code position} into {@code buffer}; returns how many, fewer only at
     * the end, -1 at or past the end.
     */
    public int read(long position, byte[] buffer, int offset, int length) {
        if (manifest.summary().kind() == SourceKind.TREE) {
            throw new ScalezException(
                    "Recovery point " + manifest.summary().id() + " is a tree: open one of its files");
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        int done = 0;
        while (done < n) {
            long at = position + done;
            byte[] chunk;
            int within;
            if (manifest.summary().kind() == SourceKind.BLOCK) {
                long block = at / ZeroBlocks.BLOCK_SIZE;
                within = (int) (at % ZeroBlocks.BLOCK_SIZE);
                chunk = block(block);
            } else {
                int i = Arrays.binarySearch(chunkOffsets, at);
                i = i >= 0 ? i : -i - 2;
                within = (int) (at - chunkOffsets[i]);
                chunk = chunk(chunkIds[i], (int) (chunkOffsets[i + 1] - chunkOffsets[i]));
            }
            int take = Math.min(n - done, chunk.length - within);
            System.arraycopy(chunk, within, buffer, offset + done, take);
            done += take;
        }
        return n;
    }

    /** Reads exactly {@code length} bytes at {@code position}; fails past the end. */
    public byte[] readFully(long position, int length) {
        var out = new byte[length];
        int n = read(position, out, 0, length);
        if (n != length) {
            throw new ScalezException("Range " + position + "+" + length + " is past the end (" + size + ")");
        }
        return out;
    }

    private synchronized byte[] block(long block) {
        int p = (int) (block / Manifest.PAGE_ENTRIES);
        if (p != pageNo) {
            page = loader.load(manifest.roots().get(p), 0);
            pageNo = p;
        }
        var id = ObjectId.fromBytes(page, (int) (block % Manifest.PAGE_ENTRIES) * ObjectId.LENGTH);
        int length = (int) Math.min(ZeroBlocks.BLOCK_SIZE, size - block * ZeroBlocks.BLOCK_SIZE);
        return chunk(id, length);
    }

    private synchronized byte[] chunk(ObjectId id, int length) {
        if (id.isZero()) {
            return new byte[length];
        }
        var cached = cache.get(id);
        if (cached == null) {
            cached = loader.load(id, length);
            cache.put(id, cached);
        }
        return cached;
    }

    /** The entries of a tree recovery point, in walk order. */
    public List<TreeNode> entries() {
        requireTree();
        var nodes = new ArrayList<TreeNode>();
        var meta = new MetaReader(loader, manifest.roots());
        while (!meta.atEnd()) {
            nodes.add(NodeStream.read(meta).node());
        }
        return nodes;
    }

    /** A reader over one regular file of a tree recovery point. */
    public RecoveryPointReader openFile(String path) {
        requireTree();
        var meta = new MetaReader(loader, manifest.roots());
        while (!meta.atEnd()) {
            var stored = NodeStream.read(meta);
            if (stored.node().path().equals(path)) {
                if (stored.node().type() != EntryType.FILE) {
                    throw new ScalezException(path + " in " + manifest.summary().id() + " is a "
                            + stored.node().type());
                }
                var fileManifest = new Manifest(
                        new RecoveryPoint(
                                manifest.summary().id(),
                                SourceKind.FILE,
                                manifest.summary().time(),
                                null,
                                path,
                                Map.of(),
                                stored.node().size(),
                                0,
                                0,
                                java.time.Duration.ZERO),
                        List.of());
                return new RecoveryPointReader(
                        loader, fileManifest, stored.node().size(), stored.chunks());
            }
        }
        throw new ScalezException(
                "No file " + path + " in recovery point " + manifest.summary().id());
    }

    private void requireTree() {
        if (manifest.summary().kind() != SourceKind.TREE) {
            throw new ScalezException("Recovery point " + manifest.summary().id() + " is not a tree");
        }
    }
}
