package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.model.RecoveryPoint;
import java.util.List;

/**
 * Sizes of a repository: logical bytes of all recovery points, unique plaintext bytes stored (after dedup,
 * zero blocks excluded), the bytes of those blobs as stored (after compression and encryption), and all
 * objects' bytes.
 */
public record RepositoryStats(
        int recoveryPoints,
        long logicalBytes,
        long uniqueBytes,
        long blobBytes,
        long storedBytes,
        int packs,
        int chunks) {

    /** Logical bytes per unique byte: what dedup (and zero-block elision) saved. */
    public double dedupRatio() {
        return uniqueBytes == 0 ? 1 : (double) logicalBytes / uniqueBytes;
    }

    /** Unique bytes per stored blob byte: what compression saved. */
    public double compressionRatio() {
        return blobBytes == 0 ? 1 : (double) uniqueBytes / blobBytes;
    }

    /** Counts what {@code points} and the index and store of {@code ctx} hold. */
    static RepositoryStats of(RepositoryContext ctx, List<RecoveryPoint> points) {
        long logical = points.stream().mapToLong(RecoveryPoint::logicalSize).sum();
        var indexes = IndexSet.load(ctx);
        long unique = 0;
        long blobBytes = 0;
        int chunks = 0;
        for (var pack : indexes.packs().values()) {
            for (var e : pack.entries()) {
                var location = indexes.index().find(e.id());
                if (location != null && location.packId().equals(pack.packId())) {
                    unique += e.rawLength();
                    blobBytes += e.length();
                    chunks++;
                }
            }
        }
        long stored = 0;
        int packs = 0;
        for (var info : ctx.store().list("")) {
            if (!info.key().startsWith("locks/")) {
                stored += info.size();
            }
            if (PackFiles.idOf(info.key()) != null) {
                packs++;
            }
        }
        return new RepositoryStats(points.size(), logical, unique, blobBytes, stored, packs, chunks);
    }
}
