package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.testing.RequiredTools;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** ScaleZ repositories for scan tests: a local store, a cheap passphrase, block backups of image files. */
public final class TestRepositories {

    /** Argon2id at its minimum: tests need a key, not resistance to guessing. */
    public static final KeyCredential KEY = new KeyCredential.Passphrase("scan-tests", new KdfParameters(64, 1, 1));

    private TestRepositories() {}

    /** A new repository in {@code dir}. */
    public static Repository create(Path dir) {
        return Repository.init(new FileSystemBlobStore(dir), KEY);
    }

    /** Backs up an image as a block recovery point of {@code assetId}; returns its id. */
    public static String backup(Repository repository, Path image, String assetId) {
        try (var source = ImageFileSource.open(image)) {
            return repository
                    .backupBlocks(
                            source,
                            BackupOptions.defaults().withLabels(Map.of("cc.asset-id", assetId, "cc.kind", "ebs")))
                    .id();
        }
    }

    /** Scan settings for tests: two threads, small batches, the Debian programs, no official database needed. */
    public static ScanSettings settings(Path workDir) {
        return new ScanSettings(
                2,
                64L << 20,
                8L << 20,
                100,
                workDir,
                RequiredTools.path("clamd"),
                Path.of("/var/lib/clamav"),
                Duration.ofMinutes(3),
                RequiredTools.path("yara"),
                workDir.resolve("no-extra-rules"),
                Duration.ofMinutes(2),
                5,
                0.5,
                50);
    }
}
