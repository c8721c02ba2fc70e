package io.cloudconnector.scalez.blob;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreContractTests extends BlobStoreContractTests {

    @TempDir
    Path root;

    @Override
    BlobStore newStore() {
        return new FileSystemBlobStore(root.resolve("repo"));
    }
}
