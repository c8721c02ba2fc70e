package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.chunk.ChunkSizes;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.source.BlockSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

/** Small, fast repositories for tests: 4/16/64 KiB chunks, 256 KiB packs, a cheap KDF. */
public final class TestRepositories {

    public static final KeyCredential PASSPHRASE =
            new KeyCredential.Passphrase("correct horse battery staple", new KdfParameters(1024, 1, 1));
    public static final RepositorySettings SMALL = RepositorySettings.defaults()
            .withChunkSizes(new ChunkSizes(4 * 1024, 16 * 1024, 64 * 1024))
            .withPackSize(256 * 1024);
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestRepositories() {}

    public static RepositoryOptions options(Clock clock) {
        return RepositoryOptions.defaults().withClock(clock).withWorkers(2).withLockWait(Duration.ZERO);
    }

    public static RepositoryOptions options() {
        return options(Clock.fixed(T0, ZoneOffset.UTC));
    }

    public static Repository init(BlobStore store) {
        return Repository.init(store, PASSPHRASE, SMALL, options());
    }

    public static Repository open(BlobStore store) {
        return Repository.open(store, PASSPHRASE, options());
    }

    /** Compressible pseudo-random bytes: words from a small vocabulary, so zstd has something to do. */
    public static byte[] text(long seed, int length) {
        var random = new Random(seed);
        var out = new byte[length];
        String[] words = {"alpha ", "beta ", "gamma ", "delta ", "epsilon ", "zeta ", "eta ", "theta "};
        int i = 0;
        while (i < length) {
            var w = words[random.nextInt(words.length)];
            for (int j = 0; j < w.length() && i < length; j++) {
                out[i++] = (byte) w.charAt(j);
            }
            if (random.nextInt(16) == 0 && i < length) {
                out[i++] = (byte) random.nextInt(256);
            }
        }
        return out;
    }

    /** Incompressible bytes. */
    public static byte[] random(long seed, int length) {
        var out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }

    /** A block source over bytes in memory. */
    public static BlockSource blocks(byte[] image) {
        return new BlockSource() {
            @Override
            public long size() {
                return image.length;
            }

            @Override
            public void readBlock(long index, byte[] buffer) {
                System.arraycopy(image, (int) (index * BLOCK_SIZE), buffer, 0, blockLength(index));
            }

            @Override
            public String description() {
                return "memory image";
            }
        };
    }
}
