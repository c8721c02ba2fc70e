package io.cloudconnector.scalez.blob;

import static io.cloudconnector.scalez.blob.BlobStoreContractTests.bytes;
import static io.cloudconnector.scalez.blob.BlobStoreContractTests.keysOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTests {

    @TempDir
    Path root;

    @Test
    void aBlobIsAFileAtItsKeyUnderTheRoot() throws IOException {
        var store = new FileSystemBlobStore(root);

        store.put("packs/3f/3f9a", bytes("pack"));

        assertThat(Files.readAllBytes(root.resolve("packs/3f/3f9a"))).isEqualTo(bytes("pack"));
        assertThat(store.location()).isEqualTo(root.toUri());
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws IOException {
        var store = new FileSystemBlobStore(root);

        store.putIfAbsent("packs/aa/1", bytes("first"));
        store.putIfAbsent("packs/aa/1", bytes("refused"));
        store.put("packs/aa/2", bytes("second"));
        store.put("packs/aa/2", bytes("replaced"));

        assertThat(filesUnder(root)).containsExactlyInAnyOrder(root.resolve("packs/aa/1"), root.resolve("packs/aa/2"));
    }

    @Test
    void temporaryFilesLeftByAKilledWriterAreNeverListedOrRead() throws IOException {
        var store = new FileSystemBlobStore(root);
        store.put("packs/aa/1", bytes("complete"));
        // What a writer killed before publishing leaves: a partial temporary file next to the blob's path.
        Files.write(root.resolve("packs/aa/" + BlobKeys.TEMP_FILE_PREFIX + "123"), bytes("part"));
        Files.write(root.resolve("packs/aa/" + BlobKeys.TEMP_FILE_PREFIX + "456"), new byte[0]);

        assertThat(keysOf(store.list(""))).containsExactly("packs/aa/1");
        assertThat(keysOf(store.list("packs/aa/.scalez"))).isEmpty();
        assertThat(store.get("packs/aa/1")).isEqualTo(bytes("complete"));
        assertThat(store.putIfAbsent("packs/aa/2", bytes("next"))).isTrue();
    }

    @Test
    void aKeyNamingADirectoryOfOtherKeysIsNotABlob() {
        var store = new FileSystemBlobStore(root);
        store.put("packs/aa/1", bytes("pack"));

        assertThat(store.stat("packs/aa")).isEmpty();
        assertThatThrownBy(() -> store.get("packs/aa")).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("packs/aa", 0, 10)).isInstanceOf(BlobNotFoundException.class);
        store.delete("packs/aa");

        assertThat(store.get("packs/aa/1")).isEqualTo(bytes("pack"));
    }

    @Test
    void aKeyThatCannotBecomeADirectoryFailsPermanentlyNamingTheBlob() {
        var store = new FileSystemBlobStore(root);
        store.put("packs/aa", bytes("a file where a directory would go"));

        assertThatThrownBy(() -> store.put("packs/aa/1", bytes("pack")))
                .isInstanceOf(BlobStoreException.class)
                .isNotInstanceOf(TransientBlobStoreException.class)
                .hasMessageContaining("Cannot write blob packs/aa/1 to " + root);
    }

    @Test
    void opensAnExistingRepository() {
        new FileSystemBlobStore(root.resolve("repo")).put("config", bytes("config"));

        assertThat(new FileSystemBlobStore(root.resolve("repo")).get("config")).isEqualTo(bytes("config"));
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
