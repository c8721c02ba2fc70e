package io.cloudconnector.scalez.blob;

import java.util.Comparator;

/** The key rules every store enforces, so that a repository can move between S3 and a directory unchanged. */
final class BlobKeys {

    /**
     * Prefix of the temporary files a {@link FileSystemBlobStore} writes before publishing a blob; reserved so
     * that no key can name one.
     */
    static final String TEMP_FILE_PREFIX = ".scalez-tmp-";

    /** S3 lists keys in UTF-8 byte order, which is code point order; {@link String#compareTo} is not. */
    static final Comparator<String> ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private BlobKeys() {}

    /** Returns the key if every store can hold it as a relative path, else throws {@link IllegalArgumentException}. */
    static String requireValid(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("A blob key must not be empty");
        }
        requireRelative(key);
        for (var segment : key.split("/", -1)) {
            requireValidSegment(key, segment);
        }
        return key;
    }

    /**
     * Returns the prefix if it is empty or made of valid segments; its last segment may be partial
     * ({@code packs/3} lists {@code packs/3f/...}).
     */
    static String requireValidPrefix(String prefix) {
        requireRelative(prefix);
        int lastSlash = prefix.lastIndexOf('/');
        if (lastSlash >= 0) {
            for (var segment : prefix.substring(0, lastSlash).split("/", -1)) {
                requireValidSegment(prefix, segment);
            }
        }
        requireNoControlCharacters(prefix, prefix.substring(lastSlash + 1));
        return prefix;
    }

    private static void requireRelative(String key) {
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("Blob key " + key + " is absolute");
        }
    }

    private static void requireValidSegment(String key, String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("Blob key " + key + " has an empty, '.' or '..' segment");
        }
        if (segment.startsWith(TEMP_FILE_PREFIX)) {
            throw new IllegalArgumentException("Blob key " + key + " uses the reserved prefix " + TEMP_FILE_PREFIX);
        }
        requireNoControlCharacters(key, segment);
    }

    private static void requireNoControlCharacters(String key, String segment) {
        if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw new IllegalArgumentException("Blob key " + key + " contains a control character or a backslash");
        }
    }

    /** Checks the arguments of a ranged read, which no store may interpret differently. */
    static void requireValidRange(long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Invalid range: offset " + offset + ", length " + length);
        }
    }
}
