package io.cloudconnector.integrity.scan;

import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Opens a vault's ScaleZ repository read-only: its bucket, its KMS key under the vault's encryption context. */
@Component
class VaultRepositories {

    private final S3Client s3;
    private final KmsClient kms;

    VaultRepositories(S3Client s3, KmsClient kms) {
        this.s3 = s3;
        this.kms = kms;
    }

    Repository open(String vaultId, String bucket, String keyArn) {
        return Repository.open(new S3BlobStore(s3, bucket, ""), new KeyCredential.KmsKey(kms, keyArn, vaultId));
    }
}
