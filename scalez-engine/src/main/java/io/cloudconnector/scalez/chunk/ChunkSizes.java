package io.cloudconnector.scalez.chunk;

/** Minimum, average (a power of two) and maximum chunk sizes for content-defined chunking. */
public record ChunkSizes(int min, int avg, int max) {

    /** The sizes the format uses for files and streams: 512 KiB / 1 MiB / 8 MiB. */
    public static final ChunkSizes DEFAULT = new ChunkSizes(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);

    public ChunkSizes {
        if (Integer.bitCount(avg) != 1 || min < 64 || min >= avg || avg >= max) {
            throw new IllegalArgumentException(
                    "Chunk sizes must satisfy 64 <= min < avg < max with avg a power of two, got " + min + "/" + avg
                            + "/" + max);
        }
    }
}
