package io.cloudconnector.scalez.repo;

/**
 * Sizes of a repository: logical bytes of all recovery points, unique plaintext bytes stored (after dedup,
 * zero blocks excluded), the bytes of those blobs as stored (after compression and encryption), and all
 * objects' bytes.
 */
public record RepositoryStats(int recoveryPoints, long logicalBytes, long uniqueBytes, long blobBytes, long storedBytes,
        int packs, int chunks) {

    /** Logical bytes per unique byte: what dedup (and zero-block elision) saved. */
    public double dedupRatio() {
        return uniqueBytes == 0 ? 1 : (double) logicalBytes / uniqueBytes;
    }

    /** Unique bytes per stored blob byte: what compression saved. */
    public double compressionRatio() {
        return blobBytes == 0 ? 1 : (double) uniqueBytes / blobBytes;
    }
}
