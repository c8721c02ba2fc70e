package io.cloudconnector.scalez.maintenance;

/** What prune did: packs deleted whole, packs repacked, packs written, bytes freed. */
public record PruneResult(
        int packsDeleted, int packsRepacked, int packsWritten, int indexFilesReplaced, long bytesFreed) {}
