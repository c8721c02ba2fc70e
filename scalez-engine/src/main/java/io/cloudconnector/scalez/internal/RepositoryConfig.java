package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.chunk.ChunkSizes;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.model.RepositorySettings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code config} object: {@code "SCZC" | version | repository id | sealed(settings, gear seed)}. The
 * gear seed is secret so that chunk boundaries cannot be predicted from outside. The version is the
 * repository's format: 1 seals blobs with the data key, 2 (what {@code init} writes) with a key per chunk.
 */
public record RepositoryConfig(int version, String repositoryId, RepositorySettings settings, byte[] gearSeed) {

    public static final String KEY = "config";
    /** The format {@code init} writes. */
    public static final int CURRENT_VERSION = 2;

    private static final byte[] MAGIC = "SCZC".getBytes(StandardCharsets.US_ASCII);
    public static final int BLOCK_SIZE = 512 * 1024;

    /** Whether blobs are sealed with a key per chunk ({@link io.cloudconnector.scalez.crypto.ChunkKeys}). */
    public boolean keyPerBlob() {
        return version >= 2;
    }

    public byte[] seal(Aead aead) {
        var header =
                new ByteWriter(64).bytes(MAGIC).u8(version).str(repositoryId).toByteArray();
        var body = new ByteWriter(64)
                .u32(settings.chunkSizes().min())
                .u32(settings.chunkSizes().avg())
                .u32(settings.chunkSizes().max())
                .u8(gearSeed.length)
                .bytes(gearSeed)
                .u32(BLOCK_SIZE)
                .u8(settings.compressionLevel())
                .u32(settings.packSize())
                .toByteArray();
        return new ByteWriter(header.length + body.length + Aead.OVERHEAD)
                .bytes(header)
                .bytes(aead.seal(body, header))
                .toByteArray();
    }

    /** The repository id without decrypting anything. */
    public static String peekRepositoryId(byte[] stored) {
        var in = new ByteReader(stored);
        readVersion(in);
        return in.str();
    }

    private static int readVersion(ByteReader in) {
        in.expect(MAGIC, "config");
        int version = in.u8();
        if (version < 1 || version > CURRENT_VERSION) {
            throw new FormatException("Unsupported config version " + version
                    + (version > CURRENT_VERSION ? " (written by a newer ScaleZ)" : ""));
        }
        return version;
    }

    public static RepositoryConfig open(byte[] stored, Aead aead) {
        var header = new ByteReader(stored);
        int version = readVersion(header);
        var id = header.str();
        int headerLength = header.position();
        var body = new ByteReader(
                aead.open(stored, headerLength, stored.length - headerLength, Arrays.copyOf(stored, headerLength)));
        ChunkSizes sizes;
        try {
            sizes = new ChunkSizes(body.u32(), body.u32(), body.u32());
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
        var seed = body.bytes(body.u8());
        int blockSize = body.u32();
        if (blockSize != BLOCK_SIZE) {
            throw new FormatException("Unsupported block size " + blockSize);
        }
        var settings = new RepositorySettings(sizes, body.u8(), body.u32());
        body.expectEnd("Config");
        return new RepositoryConfig(version, id, settings, seed);
    }
}
