package io.cloudconnector.scalez.model;

import io.cloudconnector.scalez.chunk.ChunkSizes;
import io.cloudconnector.scalez.compress.Compressor;

/** Format parameters fixed when a repository is created and stored in its config. */
public record RepositorySettings(ChunkSizes chunkSizes, int compressionLevel, int packSize) {

    /** 512 KiB / 1 MiB / 8 MiB chunks, zstd level 3, 16 MiB packs. */
    public static RepositorySettings defaults() {
        return new RepositorySettings(ChunkSizes.DEFAULT, Compressor.DEFAULT_LEVEL, 16 * 1024 * 1024);
    }

    /** The same settings with another pack size (tests use small packs to get many). */
    public RepositorySettings withPackSize(int bytes) {
        return new RepositorySettings(chunkSizes, compressionLevel, bytes);
    }

    /** The same settings with other chunk sizes. */
    public RepositorySettings withChunkSizes(ChunkSizes sizes) {
        return new RepositorySettings(sizes, compressionLevel, packSize);
    }
}
