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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    public synchronized int read(long position, byte[] buffer, int offset, int length) {
        if (manifest.summary().kind() == SourceKind.TREE) {
            throw new ScalezException(
                    "Recovery point " + manifest.summary().id() + " is a tree: open one of its files");
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        List<Piece> pieces = pieces(position, n);
        Map<ObjectId, byte[]> chunks = chunks(pieces);
        int done = 0;
        for (var piece : pieces) {
            byte[] chunk = Objects.requireNonNull(chunks.get(piece.id()));
            int within = (int) (position + done - piece.start());
            int take = Math.min(n - done, chunk.length - within);
            System.arraycopy(chunk, within, buffer, offset + done, take);
            done += take;
        }
        return n;
    }

    /** One chunk a read covers: its id, where it starts in the content, and its length. */
    private record Piece(ObjectId id, long start, int length) {}

    /** The chunks covering {@code [position, position + n)}, in order. */
    private List<Piece> pieces(long position, int n) {
        List<Piece> pieces = new ArrayList<>();
        long end = position + n;
        if (manifest.summary().kind() == SourceKind.BLOCK) {
            for (long block = position / ZeroBlocks.BLOCK_SIZE; block * ZeroBlocks.BLOCK_SIZE < end; block++) {
                int p = (int) (block / Manifest.PAGE_ENTRIES);
                if (p != pageNo) {
                    page = loader.load(manifest.roots().get(p), 0);
                    pageNo = p;
                }
                var id = ObjectId.fromBytes(page, (int) (block % Manifest.PAGE_ENTRIES) * ObjectId.LENGTH);
                long start = block * ZeroBlocks.BLOCK_SIZE;
                pieces.add(new Piece(id, start, (int) Math.min(ZeroBlocks.BLOCK_SIZE, size - start)));
            }
        } else {
            int i = Arrays.binarySearch(chunkOffsets, position);
            for (i = i >= 0 ? i : -i - 2; chunkOffsets[i] < end; i++) {
                pieces.add(new Piece(chunkIds[i], chunkOffsets[i], (int) (chunkOffsets[i + 1] - chunkOffsets[i])));
            }
        }
        return pieces;
    }

    /**
     * The plaintexts of {@code pieces}: from the cache, else loaded; several missing ones are loaded together, so
     * that neighbours in a pack come in one range read ({@link ChunkLoader#loadAll}).
     */
    private Map<ObjectId, byte[]> chunks(List<Piece> pieces) {
        Map<ObjectId, byte[]> chunks = new HashMap<>();
        List<ObjectId> missing = new ArrayList<>();
        for (var piece : pieces) {
            if (piece.id().isZero()) {
                chunks.put(piece.id(), new byte[piece.length()]);
                continue;
            }
            var cached = cache.get(piece.id());
            if (cached != null) {
                chunks.put(piece.id(), cached);
            } else {
                missing.add(piece.id());
            }
        }
        if (missing.size() == 1) {
            var id = missing.getFirst();
            chunks.put(id, loader.load(id, 0));
        } else if (!missing.isEmpty()) {
            chunks.putAll(loader.loadAll(missing, 0));
        }
        for (var id : missing) {
            cache.put(id, Objects.requireNonNull(chunks.get(id)));
        }
        return chunks;
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
