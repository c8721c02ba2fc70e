package io.cloudconnector.scalez.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Cuts an input stream into FastCDC chunks. One instance can be reused for many streams, one at a time;
 * its buffer (four maximum chunks) is allocated once.
 */
public final class StreamChunker {

    private final FastCdc cdc;
    private final byte[] buffer;
    private @Nullable InputStream in;
    private int start;
    private int end;
    private boolean eof;

    public StreamChunker(FastCdc cdc) {
        this.cdc = cdc;
        // Refilling moves the unconsumed tail to the front; a buffer of 4 max chunks keeps that copy
        // below a third of the bytes read.
        this.buffer = new byte[4 * cdc.sizes().max()];
    }

    /** Starts chunking a new stream; the previous one must have been read to the end. */
    public StreamChunker reset(InputStream input) {
        this.in = input;
        this.start = 0;
        this.end = 0;
        this.eof = false;
        return this;
    }

    /** The next chunk as a new array, or {@code null} at the end of the stream. */
    public byte @Nullable [] next() throws IOException {
        int max = cdc.sizes().max();
        if (!eof && end - start < max) {
            fill();
        }
        if (start == end) {
            return null;
        }
        int n = cdc.cut(buffer, start, end - start);
        var chunk = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        return chunk;
    }

    private void fill() throws IOException {
        var input = in;
        if (input == null) {
            throw new IllegalStateException("reset() was not called");
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end < buffer.length) {
            int n = input.read(buffer, end, buffer.length - end);
            if (n < 0) {
                eof = true;
                return;
            }
            end += n;
        }
    }
}
