package io.cloudconnector.scalez.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
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
