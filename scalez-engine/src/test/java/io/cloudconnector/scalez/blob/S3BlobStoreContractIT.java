package io.cloudconnector.scalez.blob;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract against S3 as moto emulates it, with a bucket per test and a key prefix. */
@WithAwsEmulator
class S3BlobStoreContractIT extends BlobStoreContractTests {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3Client s3;

    @BeforeAll
    static void connect(AwsEmulator emulator) {
        s3 = TestS3Clients.forEndpoint(emulator.endpoint());
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    @Override
    BlobStore newStore() {
        var bucket = "contract-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        // 40 MiB blobs cross the default 32 MiB threshold and go up in 8 MiB parts.
        return new S3BlobStore(s3, bucket, "vaults/v-1/repo");
    }
}
