package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.chunk.ChunkSizes;
import io.cloudconnector.scalez.chunk.FastCdc;
import io.cloudconnector.scalez.chunk.GearTable;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.ChunkKeys;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.IndexFile;
import io.cloudconnector.scalez.index.PackContents;
import io.cloudconnector.scalez.internal.RepositoryConfig;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.pack.PackHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The storage format's golden vectors (docs/storage-format.md): encodings of fixed inputs, FastCDC cut points,
 * a chunk key, and a small repository written by each format version ({@code repo-v<N>}), which every later
 * version must still read. Regenerate only on a deliberate format change, with {@link #main}: it writes the
 * current version's repository and never touches an older one.
 */
class GoldenVectorsTests {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final KeyCredential PASSPHRASE = new KeyCredential.Passphrase("golden", new KdfParameters(1024, 1, 1));

    static byte[] cdcInput() {
        var data = new byte[3 << 20];
        new SplittableRandom(42).nextBytes(data);
        return data;
    }

    static List<Integer> cuts() {
        var cdc = new FastCdc(ChunkSizes.DEFAULT, GearTable.fromSeed(new byte[32]));
        var data = cdcInput();
        var cuts = new ArrayList<Integer>();
        for (int at = 0; at < data.length; ) {
            int n = cdc.cut(data, at, data.length - at);
            cuts.add(n);
            at += n;
        }
        return cuts;
    }

    static List<PackEntry> entries() {
        return List.of(
                new PackEntry(ObjectId.sha256("a".getBytes()), BlobType.DATA, Codec.ZSTD, 524288, 0, 1000),
                new PackEntry(ObjectId.sha256("b".getBytes()), BlobType.META, Codec.NONE, 64, 1000, 92));
    }

    static byte[] streamContent() {
        return "ScaleZ golden stream\n".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
    }

    /** Block 0 text, block 1 zeros (never stored), block 2 a copy of block 0 (dedup), then 4 KiB of random. */
    static byte[] imageContent() {
        var image = new byte[3 * 512 * 1024 + 4096];
        var text = "ScaleZ golden block device\n".repeat(512 * 1024 / 27 + 1).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, image, 0, 512 * 1024);
        System.arraycopy(text, 0, image, 2 * 512 * 1024, 512 * 1024);
        var tail = new byte[4096];
        new SplittableRandom(7).nextBytes(tail);
        System.arraycopy(tail, 0, image, 3 * 512 * 1024, 4096);
        return image;
    }

    @Test
    void fastCdcCutsAreStable() throws IOException {
        var expected = Files.readAllLines(GOLDEN.resolve("fastcdc-cuts.txt")).stream()
                .map(Integer::parseInt)
                .toList();
        assertThat(cuts()).isEqualTo(expected);
    }

    @Test
    void packHeaderIndexAndAadEncodingsAreStable() throws IOException {
        assertThat(HexFormat.of().formatHex(PackHeader.encode(entries())))
                .isEqualTo(Files.readString(GOLDEN.resolve("pack-header.hex")).strip());
        var index = new IndexFile(List.of(new PackContents(ObjectId.sha256("pack".getBytes()), entries())));
        assertThat(HexFormat.of().formatHex(index.encode()))
                .isEqualTo(Files.readString(GOLDEN.resolve("index.hex")).strip());
        assertThat(HexFormat.of().formatHex(entries().getFirst().aad()))
                .isEqualTo(Files.readString(GOLDEN.resolve("blob-aad.hex")).strip());
    }

    /** A fixed data key (32 bytes of 0x01) and chunk id (SHA-256 of "a"): its chunk key. */
    static byte[] chunkKey() {
        var dataKey = new byte[32];
        Arrays.fill(dataKey, (byte) 1);
        return ChunkKeys.of(dataKey).keyFor(ObjectId.sha256("a".getBytes()).toBytes());
    }

    @Test
    void blobKeyDerivationIsStable() throws IOException {
        assertThat(HexFormat.of().formatHex(chunkKey()))
                .isEqualTo(Files.readString(GOLDEN.resolve("chunk-key.hex")).strip());
    }

    @ParameterizedTest(name = "format version {0}")
    @ValueSource(ints = {1, 2})
    void aRepositoryWrittenByAnEarlierVersionStillReadsAndChecks(int version) throws IOException {
        var repo = Repository.open(
                new FileSystemBlobStore(copyOfGoldenRepository(version)), PASSPHRASE, TestRepositories.options());
        var expected = Files.readAllLines(GOLDEN.resolve("repo-v" + version + "-contents.txt"));
        assertThat(contents(repo)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(repo.checkReadData().isClean()).isTrue();
        assertThat(ObjectId.sha256(streamContent()).hex())
                .isIn(expected.stream().map(l -> l.split(" ")[2]).toList());
        assertThat(ObjectId.sha256(imageContent()).hex())
                .isIn(expected.stream().map(l -> l.split(" ")[2]).toList());
    }

    @Test
    void aVersion1RepositoryTakesNewBackupsInItsOwnFormat() throws IOException {
        var dir = copyOfGoldenRepository(1);
        var repo = Repository.open(new FileSystemBlobStore(dir), PASSPHRASE, TestRepositories.options());
        var before = contents(repo);
        var content = "written by this version into a format 1 repository\n"
                .repeat(40_000)
                .getBytes(StandardCharsets.US_ASCII);
        var point = repo.backupStream(
                new ByteArrayInputStream(content), BackupOptions.defaults().withSource("new"));

        var reopened = Repository.open(new FileSystemBlobStore(dir), PASSPHRASE, TestRepositories.options());
        assertThat(reopened.checkReadData().isClean()).isTrue();
        assertThat(contents(reopened))
                .containsAll(before)
                .contains(point.id() + " stream " + ObjectId.sha256(content).hex());
        assertThat(RepositoryConfig.open(
                                Files.readAllBytes(dir.resolve(RepositoryConfig.KEY)),
                                new Aead(reopened.masterKeysForTests().dataKey()))
                        .version())
                .isEqualTo(1);
    }

    private static Path copyOfGoldenRepository(int version) throws IOException {
        var source = GOLDEN.resolve("repo-v" + version);
        var copy = Files.createTempDirectory("golden-repo-v" + version);
        try (var files = Files.walk(source)) {
            for (var f : files.toList()) {
                var target = copy.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return copy;
    }

    /** "id kind sha256-of-restored-bytes" per recovery point. */
    private static List<String> contents(Repository repo) {
        var lines = new ArrayList<String>();
        for (var p : repo.list()) {
            var out = new ByteArrayOutputStream();
            repo.restoreStream(p.id(), out, ProgressListener.NONE);
            lines.add(p.id() + " " + p.kind().label() + " "
                    + ObjectId.sha256(out.toByteArray()).hex());
        }
        return lines;
    }

    /** Writes the vectors; run from scalez-engine/ on a deliberate format change only. */
    public static void main(String[] args) throws IOException {
        Files.createDirectories(GOLDEN);
        Files.write(
                GOLDEN.resolve("fastcdc-cuts.txt"),
                cuts().stream().map(String::valueOf).toList());
        Files.writeString(
                GOLDEN.resolve("pack-header.hex"), HexFormat.of().formatHex(PackHeader.encode(entries())) + "\n");
        var index = new IndexFile(List.of(new PackContents(ObjectId.sha256("pack".getBytes()), entries())));
        Files.writeString(GOLDEN.resolve("index.hex"), HexFormat.of().formatHex(index.encode()) + "\n");
        Files.writeString(
                GOLDEN.resolve("blob-aad.hex"),
                HexFormat.of().formatHex(entries().getFirst().aad()) + "\n");
        Files.writeString(GOLDEN.resolve("chunk-key.hex"), HexFormat.of().formatHex(chunkKey()) + "\n");
        var current = "repo-v" + RepositoryConfig.CURRENT_VERSION;
        if (Files.exists(GOLDEN.resolve(current))) {
            throw new IllegalStateException(
                    GOLDEN.resolve(current) + " exists: a released format's repository is never rewritten");
        }
        var store = new FileSystemBlobStore(GOLDEN.resolve(current));
        var repo = Repository.init(
                store, PASSPHRASE, RepositorySettings.defaults().withPackSize(1 << 20), TestRepositories.options());
        var stream = repo.backupStream(
                new ByteArrayInputStream(streamContent()),
                BackupOptions.defaults().withSource("golden stream"));
        var image = repo.backupBlocks(
                TestRepositories.blocks(imageContent()),
                BackupOptions.defaults().withSource("golden image"));
        repo.store().list("locks/").forEach(i -> repo.store().delete(i.key()));
        Files.write(
                GOLDEN.resolve(current + "-contents.txt"),
                List.of(
                        stream.id() + " stream "
                                + ObjectId.sha256(streamContent()).hex(),
                        image.id() + " block " + ObjectId.sha256(imageContent()).hex()));
    }
}
