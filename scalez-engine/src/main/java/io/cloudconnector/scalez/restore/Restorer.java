package io.cloudconnector.scalez.restore;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.chunk.ZeroBlocks;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.ChunkRef;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.MetaReader;
import io.cloudconnector.scalez.internal.NodeStream;
import io.cloudconnector.scalez.internal.Workers;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.sink.BlockSink;
import io.cloudconnector.scalez.sink.TreeSink;
import io.cloudconnector.scalez.source.EntryType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Writes a recovery point back out, loading and verifying chunks on the worker pool ahead of the writer. */
public final class Restorer {

    private final ChunkLoader loader;
    private final Workers workers;
    private final ProgressListener progress;
    private final AtomicLong done = new AtomicLong();
    private long total;

    public Restorer(ChunkLoader loader, Workers workers, ProgressListener progress) {
        this.loader = loader;
        this.workers = workers;
        this.progress = progress;
    }

    private static final ThreadLocal<byte[]> BLOCK = ThreadLocal.withInitial(() -> new byte[ZeroBlocks.BLOCK_SIZE]);

    private void advance(long bytes) {
        progress.progressed(done.addAndGet(bytes), total);
    }

    /** Restores a block recovery point; blocks are written in any order, zero blocks are left to the sink. */
    public void blocks(Manifest manifest, BlockSink sink) {
        long size = manifest.summary().logicalSize();
        total = size;
        sink.start(size);
        long count = (size + ZeroBlocks.BLOCK_SIZE - 1) / ZeroBlocks.BLOCK_SIZE;
        var roots = manifest.roots();
        var tasks = new ArrayDeque<CompletableFuture<Void>>();
        for (int p = 0; p < roots.size(); p++) {
            var page = loader.load(roots.get(p), 0);
            long first = (long) p * Manifest.PAGE_ENTRIES;
            int n = (int) Math.min(Manifest.PAGE_ENTRIES, count - first);
            if (page.length != n * ObjectId.LENGTH) {
                throw new CorruptObjectException(
                        Manifest.key(manifest.summary().id()),
                        "block-map page " + p + " has " + page.length + " bytes, expected " + n * ObjectId.LENGTH);
            }
            for (int i = 0; i < n; i++) {
                long block = first + i;
                int length = (int) Math.min(ZeroBlocks.BLOCK_SIZE, size - block * ZeroBlocks.BLOCK_SIZE);
                var id = ObjectId.fromBytes(page, i * ObjectId.LENGTH);
                if (id.isZero()) {
                    sink.zeroBlock(block, length);
                    advance(length);
                    continue;
                }
                tasks.add(workers.submit(() -> {
                    // Each worker decodes into its own block buffer: sinks copy or write it before returning.
                    var data = BLOCK.get();
                    try {
                        loader.loadInto(id, data, length);
                    } catch (ScalezException e) {
                        throw e instanceof CorruptObjectException
                                ? e
                                : new ScalezException("Block " + block + ": " + e.getMessage(), e);
                    }
                    sink.writeBlock(block, data, length);
                    advance(length);
                    return null;
                }));
                while (!tasks.isEmpty() && tasks.peek().isDone()) {
                    Workers.join(tasks.poll());
                }
            }
        }
        while (!tasks.isEmpty()) {
            Workers.join(tasks.poll());
        }
        sink.finish();
    }

    /** Writes a FILE or STREAM recovery point's bytes to {@code out}, in order. */
    public void stream(Manifest manifest, OutputStream out) {
        total = manifest.summary().logicalSize();
        var meta = new MetaReader(loader, manifest.roots());
        var refs = new ArrayList<ChunkRef>();
        while (!meta.atEnd()) {
            refs.add(meta.ref());
            if (refs.size() == 4096) {
                write(refs, out);
                refs.clear();
            }
        }
        write(refs, out);
    }

    private void write(List<ChunkRef> refs, OutputStream out) {
        var window = new ArrayDeque<CompletableFuture<byte[]>>();
        int next = 0;
        try {
            while (next < refs.size() || !window.isEmpty()) {
                while (next < refs.size() && window.size() < 2 * workers.threads()) {
                    var ref = refs.get(next++);
                    window.add(workers.submit(() -> checkedLoad(ref)));
                }
                var data = Workers.join(window.poll());
                out.write(data);
                advance(data.length);
            }
        } catch (IOException e) {
            throw new ScalezException("Cannot write restored data: " + e.getMessage(), e);
        }
    }

    private byte[] checkedLoad(ChunkRef ref) {
        var data = loader.load(ref.id(), ref.length());
        if (data.length != ref.length()) {
            throw new ScalezException(
                    "Chunk " + ref.id().hex() + " is " + data.length + " bytes, the list says " + ref.length());
        }
        return data;
    }

    /** Recreates a tree under {@code target}; directory attributes are set in a second pass, after their children. */
    public void tree(Manifest manifest, Path target) {
        total = manifest.summary().logicalSize();
        var sink = new TreeSink(target);
        var meta = new MetaReader(loader, manifest.roots());
        while (!meta.atEnd()) {
            var stored = NodeStream.read(meta);
            var node = stored.node();
            switch (node.type()) {
                case DIRECTORY -> sink.createDirectory(node.path());
                case SYMLINK ->
                    sink.createSymlink(
                            node.path(), node.linkTarget() == null ? "" : node.linkTarget(), node.attributes());
                case FILE -> {
                    try (var out = new java.io.BufferedOutputStream(sink.createFile(node.path()), 1 << 16)) {
                        write(stored.chunks(), out);
                    } catch (IOException e) {
                        throw new ScalezException(
                                "Cannot write " + sink.resolve(node.path()) + ": " + e.getMessage(), e);
                    }
                    sink.finishFile(node.path(), node.attributes());
                }
            }
        }
        var again = new MetaReader(loader, manifest.roots());
        while (!again.atEnd()) {
            var node = NodeStream.read(again).node();
            if (node.type() == EntryType.DIRECTORY) {
                sink.finishDirectory(node.path(), node.attributes());
            }
        }
    }
}
