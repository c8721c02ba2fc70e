package io.cloudconnector.scalez.backup;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.chunk.StreamChunker;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.BlobSaver;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.ChunkRef;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.MetaWriter;
import io.cloudconnector.scalez.internal.NodeStream;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.internal.Workers;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.source.BlockSource;
import io.cloudconnector.scalez.source.EntryType;
import io.cloudconnector.scalez.source.TreeEntry;
import io.cloudconnector.scalez.source.TreeWalker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads a source, cuts it into chunks and hands them to the worker pool, keeping results in source
 * order; the {@link BlobSaver} behind it dedups, compresses, seals and uploads.
 */
public final class Backup {

    private final RepositoryContext ctx;
    private final BlobSaver saver;
    private final Workers workers;
    private final ProgressListener progress;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private long total = -1;

    public Backup(RepositoryContext ctx, BlobSaver saver, Workers workers, ProgressListener progress) {
        this.ctx = ctx;
        this.saver = saver;
        this.workers = workers;
        this.progress = progress;
    }

    /** Bytes read and hashed. */
    public long bytesProcessed() {
        return processed.get();
    }

    private void advance(long bytes) {
        progress.progressed(done.addAndGet(bytes), total);
    }

    /**
     * Backs up a block device. With a parent, blocks outside {@code changed} keep the parent's entries
     * unread; without a changed set every block is read and unchanged ones dedup against the index.
     */
    public List<ObjectId> blocks(
            BlockSource source, @Nullable Manifest parent, @Nullable BitSet changed, ChunkLoader loader) {
        long size = source.size();
        long count = source.blockCount();
        long parentCount = parent == null
                ? 0
                : (parent.summary().logicalSize() + ZeroBlocks.BLOCK_SIZE - 1) / ZeroBlocks.BLOCK_SIZE;
        boolean sameSize = parent != null && parent.summary().logicalSize() == size;
        var allocated = source.allocatedBlocks().orElse(null);
        total = changed != null && sameSize ? (long) changed.cardinality() * ZeroBlocks.BLOCK_SIZE : size;
        workers.warmUpSealing(total);
        var buffers = new ArrayBlockingQueue<byte[]>(3 * workers.threads() + 1);
        var roots = new ArrayList<ObjectId>();
        for (long first = 0; first < count; first += Manifest.PAGE_ENTRIES) {
            int n = (int) Math.min(Manifest.PAGE_ENTRIES, count - first);
            var page = new byte[n * ObjectId.LENGTH];
            int pageNo = (int) (first / Manifest.PAGE_ENTRIES);
            if (parent != null && pageNo < parent.roots().size()) {
                var parentPage = loader.load(parent.roots().get(pageNo), 0);
                System.arraycopy(parentPage, 0, page, 0, Math.min(parentPage.length, page.length));
            }
            var tasks = new ArrayList<CompletableFuture<Void>>();
            for (int i = 0; i < n; i++) {
                long block = first + i;
                // A grown or shrunk device may have changed its old last block too.
                boolean read = changed == null
                        || !sameSize && block >= parentCount - 1
                        || changed.get((int) block)
                        || block >= parentCount;
                if (!read) {
                    continue;
                }
                int slot = i * ObjectId.LENGTH;
                int length = source.blockLength(block);
                if (allocated != null && !allocated.get((int) block)) {
                    ObjectId.ZERO.write(java.nio.ByteBuffer.wrap(page, slot, ObjectId.LENGTH));
                    advance(length);
                    continue;
                }
                tasks.add(workers.submit(() -> {
                    var buffer = buffers.poll();
                    if (buffer == null) {
                        buffer = new byte[ZeroBlocks.BLOCK_SIZE];
                    }
                    source.readBlock(block, buffer);
                    processed.addAndGet(length);
                    var id = ZeroBlocks.isZero(buffer, length)
                            ? ObjectId.ZERO
                            : saver.save(BlobType.DATA, buffer, length);
                    buffers.offer(buffer);
                    id.write(java.nio.ByteBuffer.wrap(page, slot, ObjectId.LENGTH));
                    advance(length);
                    return null;
                }));
            }
            for (var task : tasks) {
                Workers.join(task);
            }
            roots.add(saver.save(BlobType.META, page, page.length));
        }
        return roots;
    }

    /** Backs up a stream as one file: its chunk list becomes the metadata stream. */
    public List<ObjectId> stream(InputStream in, long expectedSize) {
        total = expectedSize;
        workers.warmUpSealing(expectedSize);
        var meta = new MetaWriter(saver, ctx.cdc());
        var window = new ArrayDeque<CompletableFuture<ChunkRef>>();
        var chunker = new StreamChunker(ctx.cdc()).reset(in);
        try {
            byte[] chunk;
            while ((chunk = chunker.next()) != null) {
                window.add(submitChunk(chunk));
                while (window.size() > 4 * workers.threads()) {
                    meta.ref(Workers.join(window.poll()));
                }
            }
        } catch (IOException e) {
            throw new ScalezException("Cannot read the backup stream: " + e.getMessage(), e);
        }
        while (!window.isEmpty()) {
            meta.ref(Workers.join(window.poll()));
        }
        return meta.finish();
    }

    private CompletableFuture<ChunkRef> submitChunk(byte[] chunk) {
        return workers.submit(() -> {
            processed.addAndGet(chunk.length);
            var id = saver.save(BlobType.DATA, chunk, chunk.length);
            advance(chunk.length);
            return new ChunkRef(id, chunk.length);
        });
    }

    /** A tree entry waiting for its file's chunks before its node can be written in order. */
    private record Pending(TreeEntry entry, List<CompletableFuture<ChunkRef>> chunks) {
        boolean ready() {
            return chunks.stream().allMatch(CompletableFuture::isDone);
        }
    }

    /**
     * Backs up a directory tree; returns the roots of its node stream. Several paths become the children of a
     * synthetic root directory, named by their file names.
     */
    public List<ObjectId> tree(List<Path> paths, java.time.Instant now) {
        java.util.function.Consumer<java.util.function.Consumer<TreeEntry>> walk;
        if (paths.size() == 1) {
            walk = visitor -> TreeWalker.walk(paths.getFirst(), visitor);
        } else {
            var names = new java.util.TreeMap<String, Path>();
            for (var p : paths) {
                var name = p.toAbsolutePath().normalize().getFileName();
                if (name == null || names.put(name.toString(), p) != null) {
                    throw new ScalezException("Cannot back up " + p + ": its name is empty or given twice");
                }
            }
            long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            var root = new TreeEntry(
                    "",
                    Path.of("/"),
                    EntryType.DIRECTORY,
                    0,
                    new io.cloudconnector.scalez.source.FileAttributes(0755, 0, 0, nanos, nanos),
                    null);
            walk = visitor -> {
                visitor.accept(root);
                names.forEach((name, p) -> TreeWalker.walkAs(p, name, visitor));
            };
        }
        long[] bytes = {0};
        walk.accept(e -> bytes[0] += e.type() == EntryType.FILE ? e.size() : 0);
        total = bytes[0];
        workers.warmUpSealing(total);
        var meta = new MetaWriter(saver, ctx.cdc());
        var window = new ArrayDeque<Pending>();
        var chunker = new StreamChunker(ctx.cdc());
        int[] queuedChunks = {0};
        walk.accept(entry -> {
            var chunks = new ArrayList<CompletableFuture<ChunkRef>>();
            if (entry.type() == EntryType.FILE) {
                try (var in = Files.newInputStream(entry.file())) {
                    chunker.reset(in);
                    byte[] chunk;
                    while ((chunk = chunker.next()) != null) {
                        chunks.add(submitChunk(chunk));
                    }
                } catch (IOException e) {
                    throw new ScalezException("Cannot read " + entry.file() + ": " + e.getMessage(), e);
                }
            }
            window.add(new Pending(entry, chunks));
            queuedChunks[0] += chunks.size();
            while (!window.isEmpty()
                    && (window.peek().ready() || queuedChunks[0] > 4 * workers.threads() || window.size() > 10_000)) {
                queuedChunks[0] -= writeNode(meta, window.poll());
            }
        });
        while (!window.isEmpty()) {
            writeNode(meta, window.poll());
        }
        return meta.finish();
    }

    private static int writeNode(MetaWriter meta, Pending pending) {
        var refs = new ArrayList<ChunkRef>(pending.chunks().size());
        for (var f : pending.chunks()) {
            refs.add(Workers.join(f));
        }
        long actual = refs.stream().mapToLong(ChunkRef::length).sum();
        var entry = pending.entry();
        if (actual != entry.size()) {
            // The file changed while it was read: keep what was read, consistently.
            entry = new TreeEntry(
                    entry.path(), entry.file(), entry.type(), actual, entry.attributes(), entry.linkTarget());
        }
        NodeStream.write(meta, entry, refs);
        return refs.size();
    }
}
