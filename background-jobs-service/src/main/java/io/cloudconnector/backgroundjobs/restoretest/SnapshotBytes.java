package io.cloudconnector.backgroundjobs.restoretest;

import io.cloudconnector.filesystems.ByteSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.ebs.EbsClient;

/**
 * A restored snapshot's bytes read at random through the EBS direct APIs ({@code ListSnapshotBlocks} once, then
 * {@code GetSnapshotBlock} per 512 KiB block, a few recent blocks kept): what the file system readers walk. Unlisted
 * blocks read as zeros, as they do on a volume made from the snapshot.
 */
final class SnapshotBytes implements ByteSource {

    static final int BLOCK = 512 * 1024;
    private static final int CACHED_BLOCKS = 16;

    private final EbsClient ebs;
    private final String snapshotId;
    private final long size;
    private final Map<Integer, String> tokens;
    private final Map<Integer, byte[]> cache = new LinkedHashMap<>(CACHED_BLOCKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    private SnapshotBytes(EbsClient ebs, String snapshotId, long size, Map<Integer, String> tokens) {
        this.ebs = ebs;
        this.snapshotId = snapshotId;
        this.size = size;
        this.tokens = tokens;
    }

    static SnapshotBytes open(EbsClient ebs, String snapshotId) {
        Map<Integer, String> tokens = new HashMap<>();
        long volumeGiB = 0;
        String next = null;
        do {
            String token = next;
            var page = ebs.listSnapshotBlocks(b -> b.snapshotId(snapshotId).nextToken(token));
            if (page.volumeSize() != null) {
                volumeGiB = page.volumeSize();
            }
            page.blocks().forEach(block -> tokens.put(block.blockIndex(), block.blockToken()));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return new SnapshotBytes(ebs, snapshotId, volumeGiB << 30, tokens);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized int read(long position, byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int done = 0;
        while (done < length && position + done < size) {
            long at = position + done;
            int index = (int) (at / BLOCK);
            int within = (int) (at % BLOCK);
            int n = (int) Math.min(Math.min(length - done, BLOCK - within), size - at);
            byte[] block = block(index);
            if (block == null) {
                Arrays.fill(buffer, offset + done, offset + done + n, (byte) 0);
            } else {
                System.arraycopy(block, within, buffer, offset + done, n);
            }
            done += n;
        }
        return done;
    }

    private byte @org.jspecify.annotations.Nullable [] block(int index) {
        String token = tokens.get(index);
        if (token == null) {
            return null;
        }
        var cached = cache.get(index);
        if (cached != null) {
            return cached;
        }
        byte[] data = ebs.getSnapshotBlock(
                        b -> b.snapshotId(snapshotId).blockIndex(index).blockToken(token),
                        ResponseTransformer.toBytes())
                .asByteArray();
        if (data.length < BLOCK) {
            data = Arrays.copyOf(data, BLOCK);
        }
        cache.put(index, data);
        return data;
    }
}
