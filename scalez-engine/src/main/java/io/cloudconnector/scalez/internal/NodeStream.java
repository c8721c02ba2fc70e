package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.model.TreeNode;
import io.cloudconnector.scalez.source.EntryType;
import io.cloudconnector.scalez.source.FileAttributes;
import io.cloudconnector.scalez.source.TreeEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The node stream of a tree recovery point: one record per entry, in walk order:
 * {@code type | path | mode | uid | gid | mtime | atime | size | (link target | chunk count, chunks)}.
 */
public final class NodeStream {

    private NodeStream() {}

    /** A node and, for a file, its content chunks. */
    public record StoredNode(TreeNode node, List<ChunkRef> chunks) {}

    public static void write(MetaWriter meta, TreeEntry entry, List<ChunkRef> chunks) {
        var a = entry.attributes();
        var out = meta.out()
                .u8(entry.type().code())
                .str(entry.path())
                .u32(a.mode())
                .u32(a.uid())
                .u32(a.gid())
                .u64(a.modifiedNanos())
                .u64(a.accessedNanos())
                .u64(entry.size());
        switch (entry.type()) {
            case SYMLINK -> out.str(entry.linkTarget() == null ? "" : entry.linkTarget());
            case FILE -> {
                out.u32(chunks.size());
                for (var c : chunks) {
                    out.bytes(c.id().toBytes()).u32(c.length());
                }
            }
            case DIRECTORY -> {}
        }
        meta.maybeCut();
    }

    public static StoredNode read(MetaReader in) {
        EntryType type;
        try {
            type = EntryType.ofCode(in.u8());
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
        var path = in.str();
        var attributes = new FileAttributes(in.u32(), in.u32(), in.u32(), in.u64(), in.u64());
        long size = in.u64();
        String target = null;
        List<ChunkRef> chunks = List.of();
        if (type == EntryType.SYMLINK) {
            target = in.str();
        } else if (type == EntryType.FILE) {
            int count = in.u32();
            if (count < 0) {
                throw new FormatException("Negative chunk count for " + path);
            }
            chunks = new ArrayList<>(Math.min(count, 1 << 16));
            long total = 0;
            for (int i = 0; i < count; i++) {
                var ref = in.ref();
                chunks.add(ref);
                total += ref.length();
            }
            if (total != size) {
                throw new FormatException("File " + path + " has chunks of " + total + " bytes but size " + size);
            }
        }
        return new StoredNode(new TreeNode(path, type, size, attributes, target), chunks);
    }
}
