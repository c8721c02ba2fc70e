package io.cloudconnector.scalez.maintenance;

/**
 * What prune did: packs deleted whole, packs repacked, packs written, index files replaced, bytes freed, and (in a
 * versioned store) object versions it kept because a retention or a locked or held point still protects them.
 */
public record PruneResult(
        int packsDeleted,
        int packsRepacked,
        int packsWritten,
        int indexFilesReplaced,
        long bytesFreed,
        int versionsRetained) {

    public PruneResult(int packsDeleted, int packsRepacked, int packsWritten, int indexFilesReplaced, long bytesFreed) {
        this(packsDeleted, packsRepacked, packsWritten, indexFilesReplaced, bytesFreed, 0);
    }
}
