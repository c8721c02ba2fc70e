package io.cloudconnector.filesystems;

import java.util.Arrays;
import java.util.List;

/**
 * The content of one file: either a few bytes kept in the metadata (resident/inline data), or runs of the
 * volume in file order, where a run without a physical position is a hole (reads as zeros).
 */
public final class FileData {

    /** {@code length} bytes of the file at {@code logical}, stored at {@code physical} on the volume, or a hole if negative. */
    record Run(long logical, long physical, long length) {}

    private final ByteSource volume;
    private final long size;
    private final long[] starts;
    private final List<Run> runs;
    private final byte[] inline;

    private FileData(ByteSource volume, long size, List<Run> runs, byte[] inline) {
        this.volume = volume;
        this.size = size;
        this.runs = List.copyOf(runs);
        this.inline = inline;
        this.starts = runs.stream().mapToLong(Run::logical).toArray();
    }

    /** The runs in file order; runs that overlap (only damaged metadata has them) make the file unreadable. */
    static FileData ofRuns(ByteSource volume, long size, List<Run> runs) {
        var sorted = runs.stream()
                .filter(r -> r.length() > 0)
                .sorted(java.util.Comparator.comparingLong(Run::logical))
                .toList();
        for (int i = 1; i < sorted.size(); i++) {
            var previous = sorted.get(i - 1);
            if (sorted.get(i).logical() < previous.logical() + previous.length()) {
                throw new CorruptFileSystemException(
                        "runs overlap at byte " + sorted.get(i).logical() + " of the file");
            }
        }
        return new FileData(volume, size, sorted, new byte[0]);
    }

    /** All of {@code source} as one file's content. */
    public static FileData whole(ByteSource source) {
        return new FileData(source, source.size(), List.of(new Run(0, 0, source.size())), new byte[0]);
    }

    static FileData inline(byte[] bytes, long size) {
        return new FileData(
                new ByteSource() {
                    @Override
                    public long size() {
                        return 0;
                    }

                    @Override
                    public int read(long position, byte[] buffer, int offset, int length) {
                        return -1;
                    }
                },
                size,
                List.of(),
                Arrays.copyOf(bytes, (int) Math.min(bytes.length, size)));
    }

    /** The file's size. */
    public long size() {
        return size;
    }

    /** Reads up to {@code length} bytes at {@code position}; -1 at or past the end. */
    public int read(long position, byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        if (inline.length > 0 || runs.isEmpty()) {
            int available = (int) Math.max(0, Math.min(n, inline.length - position));
            if (available > 0) {
                System.arraycopy(inline, (int) position, buffer, offset, available);
            }
            Arrays.fill(buffer, offset + available, offset + n, (byte) 0);
            return n;
        }
        int done = 0;
        while (done < n) {
            long at = position + done;
            int i = Arrays.binarySearch(starts, at);
            i = i >= 0 ? i : -i - 2;
            Run run = i >= 0 ? runs.get(i) : null;
            int take;
            if (run == null || at >= run.logical() + run.length()) {
                // Not covered by any run: a hole up to the next run (or the end).
                long next = i + 1 < starts.length ? starts[i + 1] : size;
                take = (int) Math.min(n - done, next - at);
                Arrays.fill(buffer, offset + done, offset + done + take, (byte) 0);
            } else {
                take = (int) Math.min(n - done, run.logical() + run.length() - at);
                if (run.physical() < 0) {
                    Arrays.fill(buffer, offset + done, offset + done + take, (byte) 0);
                } else {
                    var bytes = volume.readFully(run.physical() + (at - run.logical()), take);
                    System.arraycopy(bytes, 0, buffer, offset + done, take);
                }
            }
            if (take <= 0) {
                throw new CorruptFileSystemException("runs do not advance at byte " + at + " of the file");
            }
            done += take;
        }
        return n;
    }

    /** The first {@code max} bytes of the file (all of it if smaller). */
    public byte[] head(int max) {
        var out = new byte[(int) Math.min(max, size)];
        int done = 0;
        while (done < out.length) {
            int r = read(done, out, done, out.length - done);
            if (r <= 0) {
                break;
            }
            done += r;
        }
        return out;
    }
}
