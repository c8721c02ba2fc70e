package io.cloudconnector.scalez.index;

import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.PackEntry;
import java.util.List;

/** One pack as an index file lists it: the pack id and its header entries. */
public record PackContents(ObjectId packId, List<PackEntry> entries) {

    public PackContents {
        entries = List.copyOf(entries);
    }
}
