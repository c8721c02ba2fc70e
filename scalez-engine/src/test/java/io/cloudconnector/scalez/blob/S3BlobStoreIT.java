package io.cloudconnector.scalez.blob;

import static io.cloudconnector.scalez.blob.BlobStoreContractTests.bytes;
import static io.cloudconnector.scalez.blob.BlobStoreContractTests.keysOf;
import static io.cloudconnector.scalez.blob.BlobStoreContractTests.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** What only S3 does: the client {@link S3BlobStore#open} builds, multipart uploads, the key prefix. */
@WithAwsEmulator
class S3BlobStoreIT {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final int PART = 5 << 20;
    private static final S3BlobStore.Options SMALL_PARTS =
            S3BlobStore.Options.defaults().withMultipart(PART, PART, 2);

    private static URI endpoint;
    private static S3Client s3;

    private String bucket;

    @BeforeAll
    static void connect(AwsEmulator emulator) {
        endpoint = emulator.endpoint();
        s3 = TestS3Clients.forEndpoint(endpoint);
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    @BeforeEach
    void createBucket() {
        bucket = "s3-it-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    @Test
    void openBuildsAClientFromTheEnvironmentAndClosesItWithTheStore() {
        // @WithAwsEmulator exported aws.endpointUrl, aws.region and credentials as system properties.
        var store = S3BlobStore.open(URI.create("s3://" + bucket + "/vaults/v-1"));

        store.put("config", bytes("config"));

        assertThat(store.location()).isEqualTo(URI.create("s3://" + bucket + "/vaults/v-1/"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("vaults/v-1/config"))
                        .asByteArray())
                .isEqualTo(bytes("config"));
        store.close();
        assertThatThrownBy(() -> store.get("config")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.client().listBuckets()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void closingAStoreLeavesAClientItWasGivenOpen() {
        new S3BlobStore(s3, bucket, "").close();

        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket);
    }

    @Test
    void theKeyPrefixKeepsStoresApartAndFolderMarkersAreNotBlobs() {
        var first = new S3BlobStore(s3, bucket, "vaults/v-1/");
        var second = new S3BlobStore(s3, bucket, "vaults/v-10");
        first.put("packs/aa/1", bytes("one"));
        second.put("packs/aa/1", bytes("ten"));
        s3.putObject(b -> b.bucket(bucket).key("vaults/v-1/packs/bb/"), RequestBody.empty());

        assertThat(keysOf(first.list(""))).containsExactly("packs/aa/1");
        assertThat(first.get("packs/aa/1")).isEqualTo(bytes("one"));
        assertThat(second.get("packs/aa/1")).isEqualTo(bytes("ten"));
    }

    @Test
    void aCreateOnlyMultipartWriteLosesToABlobWrittenWhileItsPartsUpload() {
        // moto 5.2.1 checks If-None-Match on CompleteMultipartUpload, as S3 does, so no check-then-complete.
        var rival = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest part && part.partNumber() == 1) {
                    s3.putObject(b -> b.bucket(bucket).key("packs/aa/1"), RequestBody.fromBytes(bytes("theirs")));
                }
            }
        };
        try (var client = TestS3Clients.forEndpoint(endpoint, rival)) {
            var store = new S3BlobStore(client, bucket, "", SMALL_PARTS);

            assertThat(store.putIfAbsent("packs/aa/1", randomBytes(3 * PART, 1)))
                    .isFalse();
        }

        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("packs/aa/1")).asByteArray())
                .isEqualTo(bytes("theirs"));
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void aFailedPartAbortsTheUploadAndIsWorthRetrying() {
        var failing = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest part && part.partNumber() == 3) {
                    // What the SDK throws when the connection drops.
                    throw SdkClientException.create("Connection reset (injected)");
                }
            }
        };
        try (var client = TestS3Clients.forEndpoint(endpoint, failing)) {
            var store = new S3BlobStore(client, bucket, "", SMALL_PARTS);

            assertThatThrownBy(() -> store.put("packs/aa/1", randomBytes(4 * PART, 2)))
                    .isInstanceOf(TransientBlobStoreException.class)
                    .hasMessageContaining("Cannot write blob packs/aa/1 to s3://" + bucket);
        }

        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(new S3BlobStore(s3, bucket, "").stat("packs/aa/1")).isEmpty();
    }

    @Test
    void partsUploadConcurrentlyButNoMoreThanTheBoundAtATime() {
        var inFlight = new AtomicInteger();
        var mostInFlight = new AtomicInteger();
        var parts = new AtomicInteger();
        var counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest) {
                    parts.incrementAndGet();
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest) {
                    inFlight.decrementAndGet();
                }
            }
        };
        var data = randomBytes(8 * PART + 1, 3);
        try (var client = TestS3Clients.forEndpoint(endpoint, counting)) {
            new S3BlobStore(client, bucket, "", SMALL_PARTS).put("packs/aa/1", data);
        }

        assertThat(parts).hasValue(9);
        assertThat(mostInFlight.get()).isBetween(1, 2);
        assertThat(new S3BlobStore(s3, bucket, "").get("packs/aa/1")).isEqualTo(data);
    }
}
