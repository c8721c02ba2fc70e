package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.hash.ObjectId;
import java.util.function.Consumer;

/** Every chunk a recovery point needs: its META roots and the DATA chunks they list (the zero id excluded). */
public final class References {

    private References() {}

    public static void walk(ChunkLoader loader, Manifest manifest, Consumer<ObjectId> visitor) {
        manifest.roots().forEach(visitor);
        switch (manifest.summary().kind()) {
            case BLOCK -> {
                for (var root : manifest.roots()) {
                    var page = loader.load(root, 0);
                    for (int i = 0; i + ObjectId.LENGTH <= page.length; i += ObjectId.LENGTH) {
                        var id = ObjectId.fromBytes(page, i);
                        if (!id.isZero()) {
                            visitor.accept(id);
                        }
                    }
                }
            }
            case FILE, STREAM -> {
                var meta = new MetaReader(loader, manifest.roots());
                while (!meta.atEnd()) {
                    var ref = meta.ref();
                    if (!ref.id().isZero()) {
                        visitor.accept(ref.id());
                    }
                }
            }
            case TREE -> {
                var meta = new MetaReader(loader, manifest.roots());
                while (!meta.atEnd()) {
                    for (var ref : NodeStream.read(meta).chunks()) {
                        if (!ref.id().isZero()) {
                            visitor.accept(ref.id());
                        }
                    }
                }
            }
        }
    }
}
