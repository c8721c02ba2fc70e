package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.hash.ObjectId;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads a metadata stream back across its META chunks, loading one chunk at a time. */
public final class MetaReader {

    private final ChunkLoader loader;
    private final List<ObjectId> roots;
    private int next;
    private byte[] current = new byte[0];
    private int position;

    public MetaReader(ChunkLoader loader, List<ObjectId> roots) {
        this.loader = loader;
        this.roots = roots;
    }

    public boolean atEnd() {
        while (position == current.length) {
            if (next == roots.size()) {
                return true;
            }
            current = loader.load(roots.get(next++), 0);
            position = 0;
        }
        return false;
    }

    public byte[] bytes(int n) {
        var out = new byte[n];
        int done = 0;
        while (done < n) {
            if (atEnd()) {
                throw new FormatException("Metadata stream ends in the middle of a record");
            }
            int take = Math.min(n - done, current.length - position);
            System.arraycopy(current, position, out, done, take);
            position += take;
            done += take;
        }
        return out;
    }

    public int u8() {
        return bytes(1)[0] & 0xff;
    }

    public int u16() {
        var b = bytes(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    public int u32() {
        var b = bytes(4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    public long u64() {
        return (u32() & 0xffffffffL) | (long) u32() << 32;
    }

    public String str() {
        return new String(bytes(u16()), StandardCharsets.UTF_8);
    }

    public ObjectId id() {
        return ObjectId.fromBytes(bytes(ObjectId.LENGTH), 0);
    }

    public ChunkRef ref() {
        return new ChunkRef(id(), u32());
    }
}
