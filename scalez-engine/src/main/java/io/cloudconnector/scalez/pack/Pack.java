package io.cloudconnector.scalez.pack;

import io.cloudconnector.scalez.hash.ObjectId;
import java.util.List;

/** A finished pack: its id (SHA-256 of its bytes), its bytes, and the blobs in it. */
public record Pack(ObjectId id, byte[] bytes, List<PackEntry> entries) {

    /** Where a pack is stored: {@code packs/<first two hex digits>/<id>}. */
    public static String key(ObjectId id) {
        var hex = id.hex();
        return "packs/" + hex.substring(0, 2) + "/" + hex;
    }

    /** This pack's key. */
    public String key() {
        return key(id);
    }
}
