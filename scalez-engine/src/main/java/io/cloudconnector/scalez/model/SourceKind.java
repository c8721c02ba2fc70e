package io.cloudconnector.scalez.model;

import io.cloudconnector.scalez.FormatException;

/** What a recovery point was made from; the code is the byte stored in manifests. */
public enum SourceKind {
    /** A block device or image, in 512 KiB blocks. */
    BLOCK(1),
    /** One file. */
    FILE(2),
    /** A stream such as stdin. */
    STREAM(3),
    /** A directory tree. */
    TREE(4);

    private final int code;

    SourceKind(int code) {
        this.code = code;
    }

    /** The kind's code in a stored manifest. */
    public int code() {
        return code;
    }

    /** The kind a stored manifest's code names. */
    public static SourceKind ofCode(int code) {
        for (var k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new FormatException("Unknown recovery point kind " + code);
    }

    /** Lowercase name, as the CLI and JSON show it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
