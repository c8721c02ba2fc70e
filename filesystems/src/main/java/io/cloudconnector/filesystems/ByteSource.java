package io.cloudconnector.filesystems;

/**
 * Random-access bytes: a disk image in a recovery point, a partition of it, or a local file in tests.
 * Implementations are thread-safe.
 */
public interface ByteSource {

    /** Size in bytes. */
    long size();

    /** Reads up to {@code length} bytes at {@code position}; returns how many (fewer only at the end, -1 past it). */
    int read(long position, byte[] buffer, int offset, int length);

    /** Exactly {@code length} bytes at {@code position}; a range past the end is corrupt metadata. */
    default byte[] readFully(long position, int length) {
        if (position < 0 || length < 0 || position + length > size()) {
            throw new CorruptFileSystemException(
                    "range " + position + "+" + length + " lies outside " + size() + " bytes");
        }
        var out = new byte[length];
        int done = 0;
        while (done < length) {
            int n = read(position + done, out, done, length - done);
            if (n <= 0) {
                throw new CorruptFileSystemException("range " + position + "+" + length + " ended early");
            }
            done += n;
        }
        return out;
    }

    /** The bytes {@code [offset, offset + length)} of this source as a source of their own. */
    default ByteSource slice(long offset, long length) {
        var parent = this;
        long end = Math.min(parent.size(), offset + length);
        long sliceSize = Math.max(0, end - offset);
        return new ByteSource() {
            @Override
            public long size() {
                return sliceSize;
            }

            @Override
            public int read(long position, byte[] buffer, int off, int len) {
                if (position >= sliceSize) {
                    return -1;
                }
                return parent.read(offset + position, buffer, off, (int) Math.min(len, sliceSize - position));
            }
        };
    }
}
