package io.cloudconnector.scalez.model;

import io.cloudconnector.scalez.ScalezException;

/** A recovery point needs a chunk that no index lists: the repository is damaged. */
public class MissingChunkException extends ScalezException {

    public MissingChunkException(String chunkId) {
        super("Chunk " + chunkId + " is not in any index: the repository is damaged (run check)");
    }
}
