package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.chunk.ChunkSizes;
import io.cloudconnector.scalez.chunk.FastCdc;
import io.cloudconnector.scalez.chunk.GearTable;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.index.IndexFile;
import io.cloudconnector.scalez.index.PackContents;
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
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The storage format's golden vectors (docs/storage-format.md): encodings of fixed inputs, FastCDC cut points,
 * and a small repository written by this version, which every later version must still read. Regenerate only
 * on a deliberate format change, with {@link #main}.
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
        var expected = Files.readAllLines(GOLDEN.resolve("fastcdc-cuts.txt")).stream().map(Integer::parseInt).toList();
        assertThat(cuts()).isEqualTo(expected);
    }

    @Test
    void packHeaderIndexAndAadEncodingsAreStable() throws IOException {
        assertThat(HexFormat.of().formatHex(PackHeader.encode(entries())))
                .isEqualTo(Files.readString(GOLDEN.resolve("pack-header.hex")).strip());
        var index = new IndexFile(List.of(new PackContents(ObjectId.sha256("pack".getBytes()), entries())));
        assertThat(HexFormat.of().formatHex(index.encode())).isEqualTo(Files.readString(GOLDEN.resolve("index.hex")).strip());
        assertThat(HexFormat.of().formatHex(entries().getFirst().aad()))
                .isEqualTo(Files.readString(GOLDEN.resolve("blob-aad.hex")).strip());
    }

    @Test
    void aRepositoryWrittenByFormatVersion1StillReadsAndChecks() throws IOException {
        var copy = Files.createTempDirectory("golden-repo");
        try (var files = Files.walk(GOLDEN.resolve("repo"))) {
            for (var f : files.toList()) {
                var target = copy.resolve(GOLDEN.resolve("repo").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        var repo = Repository.open(new FileSystemBlobStore(copy), PASSPHRASE, TestRepositories.options());
        var expected = Files.readAllLines(GOLDEN.resolve("repo-contents.txt"));
        var actual = new ArrayList<String>();
        for (var p : repo.list()) {
            var out = new ByteArrayOutputStream();
            repo.restoreStream(p.id(), out, ProgressListener.NONE);
            actual.add(p.id() + " " + p.kind().label() + " " + ObjectId.sha256(out.toByteArray()).hex());
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(repo.checkReadData().isClean()).isTrue();
        assertThat(ObjectId.sha256(streamContent()).hex()).isIn(expected.stream().map(l -> l.split(" ")[2]).toList());
        assertThat(ObjectId.sha256(imageContent()).hex()).isIn(expected.stream().map(l -> l.split(" ")[2]).toList());
    }

    /** Writes the vectors; run from scalez-engine/ on a deliberate format change only. */
    public static void main(String[] args) throws IOException {
        Files.createDirectories(GOLDEN);
        Files.write(GOLDEN.resolve("fastcdc-cuts.txt"), cuts().stream().map(String::valueOf).toList());
        Files.writeString(GOLDEN.resolve("pack-header.hex"), HexFormat.of().formatHex(PackHeader.encode(entries())) + "\n");
        var index = new IndexFile(List.of(new PackContents(ObjectId.sha256("pack".getBytes()), entries())));
        Files.writeString(GOLDEN.resolve("index.hex"), HexFormat.of().formatHex(index.encode()) + "\n");
        Files.writeString(GOLDEN.resolve("blob-aad.hex"), HexFormat.of().formatHex(entries().getFirst().aad()) + "\n");
        var store = new FileSystemBlobStore(GOLDEN.resolve("repo"));
        var repo = Repository.init(store, PASSPHRASE, RepositorySettings.defaults().withPackSize(1 << 20), TestRepositories.options());
        var stream = repo.backupStream(new ByteArrayInputStream(streamContent()), BackupOptions.defaults().withSource("golden stream"));
        var image = repo.backupBlocks(TestRepositories.blocks(imageContent()), BackupOptions.defaults().withSource("golden image"));
        repo.store().list("locks/").forEach(i -> repo.store().delete(i.key()));
        Files.write(GOLDEN.resolve("repo-contents.txt"), List.of(
                stream.id() + " stream " + ObjectId.sha256(streamContent()).hex(),
                image.id() + " block " + ObjectId.sha256(imageContent()).hex()));
    }
}
