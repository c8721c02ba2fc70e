package io.cloudconnector.scalez.source;

/** Kinds of tree entries a backup keeps; the code is the byte stored in node streams. */
public enum EntryType {
    /** A directory. */
    DIRECTORY(1),
    /** A regular file. */
    FILE(2),
    /** A symbolic link. */
    SYMLINK(3);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    /** The format byte. */
    public int code() {
        return code;
    }

    /** The type a format byte stands for. */
    public static EntryType ofCode(int code) {
        for (var t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown entry type " + code);
    }
}
