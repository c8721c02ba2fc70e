package io.cloudconnector.scalez.compress;

/** How a blob's plaintext is encoded before encryption; the code is the byte stored in the format. */
public enum Codec {
    /** Stored as is, because compression did not pay. */
    NONE(0),
    /** A single zstd frame. */
    ZSTD(1);

    private final int code;

    Codec(int code) {
        this.code = code;
    }

    /** The byte that stands for this codec in pack headers and blob AAD. */
    public int code() {
        return code;
    }

    /** The codec a format byte stands for. */
    public static Codec ofCode(int code) {
        for (var c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown codec " + code);
    }
}
