package io.cloudconnector.backgroundjobs.files;

import org.jspecify.annotations.Nullable;

/**
 * One byte range of a file, {@code [first, last]}, from a {@code Range} header. Only a single range is served: a
 * header with several, or one that does not parse, is ignored (the whole file, 200), as RFC 9110 allows; so is one
 * whose {@code If-Range} is not the file's current ETag. A range starting past the end is refused with 416.
 */
record ByteRange(long first, long last) {

    /** A range that starts past the end of a file of {@code size} bytes (416, with {@code Content-Range: bytes *\/size}). */
    static final class NotSatisfiable extends RuntimeException {
        final long size;

        NotSatisfiable(long size) {
            super("the range starts past the end of the file (" + size + " bytes)");
            this.size = size;
        }
    }

    long length() {
        return last - first + 1;
    }

    static @Nullable ByteRange parse(@Nullable String header, @Nullable String ifRange, String etag, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        if (ifRange != null && !ifRange.equals(etag)) {
            return null;
        }
        String spec = header.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String start = spec.substring(0, dash).strip();
            String end = spec.substring(dash + 1).strip();
            if (start.isEmpty()) {
                long suffix = Long.parseLong(end);
                if (suffix <= 0) {
                    throw new NotSatisfiable(size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(start);
            long last = end.isEmpty() ? size - 1 : Math.min(Long.parseLong(end), size - 1);
            if (first < 0 || (!end.isEmpty() && Long.parseLong(end) < first)) {
                return null;
            }
            if (first >= size) {
                throw new NotSatisfiable(size);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
