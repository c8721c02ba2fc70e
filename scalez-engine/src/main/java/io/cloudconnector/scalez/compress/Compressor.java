package io.cloudconnector.scalez.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.cloudconnector.scalez.ScalezException;

/** zstd compression at a fixed level that falls back to raw storage when it saves too little. Thread-safe. */
public final class Compressor {

    /** The default zstd level. */
    public static final int DEFAULT_LEVEL = 3;

    private final int level;
    private final ThreadLocal<ZstdCompressCtx> context;

    public Compressor(int level) {
        this.level = level;
        this.context = ThreadLocal.withInitial(() -> {
            var ctx = new ZstdCompressCtx();
            ctx.setLevel(level);
            return ctx;
        });
    }

    /** The zstd level. */
    public int level() {
        return level;
    }

    /**
     * Compresses {@code raw}; keeps it raw unless zstd saves at least 1/32 of it, because decompressing
     * costs time on every restore and a few percent is not worth it.
     */
    public Compressed compress(byte[] raw) {
        var packed = context.get().compress(raw);
        if (packed.length > raw.length - raw.length / 32) {
            return new Compressed(Codec.NONE, raw);
        }
        return new Compressed(Codec.ZSTD, packed);
    }

    /** The most bytes {@link #compressInto} writes for {@code length} bytes of input. */
    public static int bound(int length) {
        return (int) Zstd.compressBound(length);
    }

    /**
     * As {@link #compress}, without allocating: compresses the first {@code length} bytes of {@code raw} into
     * {@code out} (at least {@link #bound} bytes) and returns the compressed length, or -1 when the blob is to
     * be stored raw (the same 1/32 rule).
     */
    public int compressInto(byte[] raw, int length, byte[] out) {
        int packed;
        try {
            packed = (int) context.get().compressByteArray(out, 0, out.length, raw, 0, length);
        } catch (ZstdException e) {
            throw new ScalezException("Cannot compress a blob: " + e.getMessage(), e);
        }
        return packed > length - length / 32 ? -1 : packed;
    }

    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    /**
     * As {@link #decompress}, into the start of {@code out} instead of a new array: {@code length} stored bytes
     * from {@code offset} decode to exactly {@code rawLength} bytes or this throws.
     */
    public static void decompressInto(Codec codec, byte[] stored, int offset, int length, byte[] out, int rawLength) {
        switch (codec) {
            case NONE -> {
                if (length != rawLength) {
                    throw new ScalezException("Raw blob is " + length + " bytes, expected " + rawLength);
                }
                System.arraycopy(stored, offset, out, 0, length);
            }
            case ZSTD -> {
                try {
                    // One byte of room more than expected, so that a blob decoding to more is caught, not cut.
                    int room = Math.min(out.length, rawLength + 1);
                    long n = DECOMPRESS.get().decompressByteArray(out, 0, room, stored, offset, length);
                    if (n != rawLength) {
                        throw new ScalezException("zstd blob decoded to " + n + " bytes, expected " + rawLength);
                    }
                } catch (ZstdException e) {
                    throw new ScalezException("Cannot decode zstd blob: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Decodes stored bytes back to exactly {@code rawLength} bytes. */
    public static byte[] decompress(Codec codec, byte[] stored, int rawLength) {
        return switch (codec) {
            case NONE -> {
                if (stored.length != rawLength) {
                    throw new ScalezException("Raw blob is " + stored.length + " bytes, expected " + rawLength);
                }
                yield stored;
            }
            case ZSTD -> {
                try {
                    var raw = Zstd.decompress(stored, rawLength);
                    if (raw.length != rawLength) {
                        throw new ScalezException(
                                "zstd blob decoded to " + raw.length + " bytes, expected " + rawLength);
                    }
                    yield raw;
                } catch (ZstdException e) {
                    throw new ScalezException("Cannot decode zstd blob: " + e.getMessage(), e);
                }
            }
        };
    }
}
