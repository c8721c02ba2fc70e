package io.cloudconnector.scalez.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.BlobInfo;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.crypto.WrongCredentialException;
import io.cloudconnector.scalez.model.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** A vault's repository as production has it: in an S3 bucket, its key wrapped by KMS with the vault's context. */
@WithAwsEmulator
class KmsS3RepositoryIT {

    @Test
    void kmsWrappedRepositoryInS3BacksUpRestoresAndChecks(AwsEmulator emulator, @TempDir Path dir) throws Exception {
        try (KmsClient kms = EmulatorClients.kms(emulator);
                S3Client s3 = EmulatorClients.s3(emulator)) {
            var keyId =
                    kms.createKey(r -> r.description("vault key")).keyMetadata().keyId();
            s3.createBucket(r -> r.bucket("vault-a"));
            var store = new S3BlobStore(s3, "vault-a", "scalez");
            var credential = new KeyCredential.KmsKey(kms, keyId, "vlt-a");
            var image = TestRepositories.random(1, 5 * 512 * 1024 + 100);
            String rp;
            String tree;
            {
                var repo = Repository.init(store, credential, TestRepositories.SMALL, TestRepositories.options());
                rp = repo.backupBlocks(TestRepositories.blocks(image), BackupOptions.defaults())
                        .id();
                Files.createDirectories(dir.resolve("tree/sub"));
                Files.write(dir.resolve("tree/sub/f.txt"), TestRepositories.text(2, 200_000));
                tree = repo.backupTree(dir.resolve("tree"), BackupOptions.defaults())
                        .id();
            }
            // Only the wrapped key is stored: the key file does not contain the data or MAC key in the clear.
            var keyFile = new String(HexFormat.of()
                    .formatHex(store.get(store.list("keys/").getFirst().key())));
            {
                var repo = Repository.open(store, credential, TestRepositories.options());
                var out = new ByteArrayOutputStream();
                repo.restoreStream(rp, out, ProgressListener.NONE);
                assertThat(out.toByteArray()).isEqualTo(image);
                repo.restore(tree, dir.resolve("restored"), ProgressListener.NONE);
                assertThat(Files.readAllBytes(dir.resolve("restored/sub/f.txt")))
                        .isEqualTo(TestRepositories.text(2, 200_000));
                assertThat(repo.checkReadData().isClean()).isTrue();
                assertThat(keyFile)
                        .doesNotContain(HexFormat.of()
                                .formatHex(repo.masterKeysForTests().dataKey()))
                        .doesNotContain(HexFormat.of()
                                .formatHex(repo.masterKeysForTests().macKey()));
            }
        }
    }

    @Test
    void aWrongVaultContextIsRefusedAndWritesNothing(AwsEmulator emulator) {
        try (KmsClient kms = EmulatorClients.kms(emulator);
                S3Client s3 = EmulatorClients.s3(emulator)) {
            var keyId =
                    kms.createKey(r -> r.description("vault key")).keyMetadata().keyId();
            s3.createBucket(r -> r.bucket("vault-b"));
            var store = new S3BlobStore(s3, "vault-b", "");
            Repository.init(
                    store,
                    new KeyCredential.KmsKey(kms, keyId, "vlt-b"),
                    TestRepositories.SMALL,
                    TestRepositories.options());
            List<BlobInfo> before = store.list("");

            assertThatThrownBy(() -> Repository.open(
                            store, new KeyCredential.KmsKey(kms, keyId, "vlt-other"), TestRepositories.options()))
                    .isInstanceOf(WrongCredentialException.class)
                    .hasMessageContaining("KMS refused")
                    .hasMessageContaining("vlt-other");
            assertThatThrownBy(() -> Repository.open(store, TestRepositories.PASSPHRASE, TestRepositories.options()))
                    .isInstanceOf(WrongCredentialException.class);
            assertThat(store.list("")).isEqualTo(before);
        }
    }

    @Test
    void anUnknownKmsKeyFailsInitBeforeAnythingIsWritten(AwsEmulator emulator) {
        try (KmsClient kms = EmulatorClients.kms(emulator);
                S3Client s3 = EmulatorClients.s3(emulator)) {
            s3.createBucket(r -> r.bucket("vault-c"));
            var store = new S3BlobStore(s3, "vault-c", "repo");
            assertThatThrownBy(() -> Repository.init(
                            store,
                            new KeyCredential.KmsKey(kms, "00000000-0000-0000-0000-000000000000", "vlt-c"),
                            TestRepositories.SMALL,
                            TestRepositories.options()))
                    .isInstanceOf(WrongCredentialException.class)
                    .hasMessageContaining("GenerateDataKey");
            assertThat(store.list("")).isEmpty();
        }
    }
}
