package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.crypto.KeyFile;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.IndexFile;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.RepositoryConfig;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.pack.PackEntry;

/** Decodes a stored object into readable text for {@code scalez cat}. */
final class ObjectDescriber {

    private final RepositoryContext ctx;

    ObjectDescriber(RepositoryContext ctx) {
        this.ctx = ctx;
    }

    String describe(String key) {
        var store = ctx.store();
        if (key.equals(RepositoryConfig.KEY)) {
            var c = RepositoryConfig.open(store.get(key), ctx.aead());
            var s = c.settings();
            return "config\n  format version " + c.version()
                    + (c.keyPerBlob() ? " (a key per chunk)" : " (blobs under the data key)")
                    + "\n  repository " + c.repositoryId() + "\n  chunks min/avg/max "
                    + s.chunkSizes().min() + "/"
                    + s.chunkSizes().avg() + "/" + s.chunkSizes().max() + "\n  block size "
                    + RepositoryConfig.BLOCK_SIZE
                    + "\n  zstd level " + s.compressionLevel() + "\n  pack size " + s.packSize() + "\n";
        }
        if (key.startsWith("keys/")) {
            return KeyFile.parse(store.get(key)) + "\n";
        }
        if (key.startsWith("index/")) {
            var stored = ctx.readAddressed(key, ObjectId.parse(key.substring(6)));
            var out = new StringBuilder(key).append('\n');
            for (var pack :
                    IndexFile.decode(ctx.aead().open(stored, IndexFile.AAD)).packs()) {
                appendPack(out, pack);
            }
            return out.toString();
        }
        if (key.startsWith("snapshots/")) {
            var m = Manifest.open(key.substring(10), store.get(key), ctx.aead());
            var out = new StringBuilder(m.summary().toString()).append('\n');
            m.roots().forEach(r -> out.append("  root ").append(r.hex()).append('\n'));
            return out.toString();
        }
        var packId = PackFiles.idOf(key);
        if (packId != null) {
            var size = store.stat(key)
                    .orElseThrow(() -> new ScalezException("No object " + key))
                    .size();
            var out = new StringBuilder();
            appendPack(out, new PackContents(packId, PackFiles.readHeader(ctx, key, size)));
            return out.toString();
        }
        if (key.startsWith("chunk/")) {
            var id = ObjectId.parse(key.substring(6));
            var data = new ChunkLoader(ctx, IndexSet.load(ctx).index()).load(id, 0);
            return key + " " + data.length + " bytes, verified\n"
                    + java.util.HexFormat.of().formatHex(data, 0, Math.min(256, data.length))
                    + (data.length > 256 ? "...\n" : "\n");
        }
        throw new ScalezException("Cannot describe " + key
                + ": expected config, keys/<id>, index/<id>, snapshots/<rp-id>," + " packs/<xx>/<id> or chunk/<id>");
    }

    private static void appendPack(StringBuilder out, PackContents pack) {
        out.append("pack ")
                .append(pack.packId().hex())
                .append(" (")
                .append(pack.entries().size())
                .append(" blobs)\n");
        for (PackEntry e : pack.entries()) {
            out.append("  ")
                    .append(e.type())
                    .append(' ')
                    .append(e.id().hex())
                    .append(" offset ")
                    .append(e.offset())
                    .append(" length ")
                    .append(e.length())
                    .append(" raw ")
                    .append(e.rawLength())
                    .append(' ')
                    .append(e.codec())
                    .append('\n');
        }
    }
}
