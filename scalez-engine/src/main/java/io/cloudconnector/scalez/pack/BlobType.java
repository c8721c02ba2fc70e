package io.cloudconnector.scalez.pack;

import io.cloudconnector.scalez.FormatException;

/** What a blob holds; the code is the byte stored in pack headers and blob AAD. */
public enum BlobType {
    /** A chunk of file, stream or block-device data. */
    DATA(0),
    /** A chunk of metadata: a block-map page, a file's chunk list or a tree's node stream. */
    META(1);

    private final int code;

    BlobType(int code) {
        this.code = code;
    }

    /** The format byte. */
    public int code() {
        return code;
    }

    /** The type a format byte stands for. */
    public static BlobType ofCode(int code) {
        return switch (code) {
            case 0 -> DATA;
            case 1 -> META;
            default -> throw new FormatException("Unknown blob type " + code);
        };
    }
}
