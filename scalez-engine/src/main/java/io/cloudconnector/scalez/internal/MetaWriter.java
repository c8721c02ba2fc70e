package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.chunk.FastCdc;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.BlobType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a metadata stream (a chunk list or a tree's node stream) as FastCDC-cut META chunks, so that
 * metadata of any size needs bounded memory and unchanged stretches dedup across backups.
 */
public final class MetaWriter {

    private final BlobSaver saver;
    private final FastCdc cdc;
    private final ByteWriter buffer;
    private final List<ObjectId> roots = new ArrayList<>();

    public MetaWriter(BlobSaver saver, FastCdc cdc) {
        this.saver = saver;
        this.cdc = cdc;
        this.buffer = new ByteWriter(2 * cdc.sizes().max());
    }

    public ByteWriter out() {
        return buffer;
    }

    public void ref(ChunkRef ref) {
        buffer.bytes(ref.id().toBytes()).u32(ref.length());
        maybeCut();
    }

    /** Cuts chunks once the buffer holds two maximum chunks, so each cut sees at least one. */
    public void maybeCut() {
        if (buffer.size() >= 2 * cdc.sizes().max()) {
            cut(cdc.sizes().max());
        }
    }

    private void cut(int keep) {
        var bytes = buffer.toByteArray();
        int start = 0;
        while (bytes.length - start > keep || (keep == 0 && start < bytes.length)) {
            int n = cdc.cut(bytes, start, bytes.length - start);
            roots.add(saver.save(BlobType.META, Arrays.copyOfRange(bytes, start, start + n), n));
            start += n;
        }
        buffer.clear();
        buffer.bytes(bytes, start, bytes.length - start);
    }

    /** Stores what is left and returns the ids of all META chunks, in order. */
    public List<ObjectId> finish() {
        cut(0);
        return List.copyOf(roots);
    }
}
