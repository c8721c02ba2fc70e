package io.cloudconnector.scalez.blob;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A blob store in an S3 bucket (or any S3-compatible endpoint) under a key prefix.
 *
 * <p>Create-only writes send {@code If-None-Match: *}, on {@code PutObject} and on
 * {@code CompleteMultipartUpload} alike, so they rely on the endpoint honouring it (AWS S3 since 2024, moto
 * 5.2.1 on both requests). Blobs above {@link Options#multipartThreshold()} are uploaded in parts, several at
 * a time. The client should not retry on its own: {@link RetryingBlobStore} retries, at one layer only.
 *
 * <p>Every write carries a CRC32C checksum ({@code x-amz-sdk-checksum-algorithm: CRC32C}, on {@code PutObject} and
 * on each part; the SDK computes it while streaming the body, with the JDK's intrinsic CRC32C at many GB/s): S3
 * refuses any write into an Object Lock bucket without one. Versions and Object Lock ({@code ListObjectVersions}, {@code PutObjectRetention},
 * {@code PutObjectLegalHold}, versioned reads and deletes) are read from the bucket's configuration, looked up
 * once.
 */
public final class S3BlobStore implements BlobStore {

    private static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    private static final String BINARY = "application/octet-stream";

    private final S3Client s3;
    private final @Nullable S3Client ownedClient;
    private final String bucket;
    private final String prefix;
    private final Options options;
    private final URI location;
    private volatile boolean closed;
    private volatile @Nullable Boolean versioned;
    private volatile @Nullable Optional<ObjectLockDefaults> lockDefaults;

    /** How blobs are uploaded and, for {@link #open}, how long the client waits. */
    public record Options(
            long multipartThreshold,
            int partSize,
            int maxConcurrentParts,
            Duration connectTimeout,
            Duration attemptTimeout,
            Duration callTimeout) {

        public Options {
            if (multipartThreshold < 1 || partSize < MIN_PART_SIZE || maxConcurrentParts < 1) {
                throw new IllegalArgumentException("Invalid multipart options: threshold " + multipartThreshold
                        + ", part size " + partSize + " (at least " + MIN_PART_SIZE + "), concurrency "
                        + maxConcurrentParts);
            }
        }

        /** 32 MiB threshold, 8 MiB parts, 4 at a time; 10 s to connect, 2 min per request. */
        public static Options defaults() {
            return new Options(
                    32L << 20, 8 << 20, 4, Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(2));
        }

        /** These options with other multipart settings. */
        public Options withMultipart(long threshold, int partSize, int maxConcurrentParts) {
            return new Options(threshold, partSize, maxConcurrentParts, connectTimeout, attemptTimeout, callTimeout);
        }
    }

    /** A store over a client the caller owns and closes; {@code prefix} may be empty. */
    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this(s3, bucket, prefix, Options.defaults());
    }

    /** A store over a client the caller owns and closes, with the given upload options. */
    public S3BlobStore(S3Client s3, String bucket, String prefix, Options options) {
        this(s3, null, bucket, prefix, options);
    }

    private S3BlobStore(S3Client s3, @Nullable S3Client ownedClient, String bucket, String prefix, Options options) {
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("An S3 blob store needs a bucket");
        }
        var normalized = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.s3 = s3;
        this.ownedClient = ownedClient;
        this.bucket = bucket;
        this.prefix = BlobKeys.requireValidPrefix(normalized);
        this.options = options;
        try {
            this.location = new URI("s3", bucket, "/" + this.prefix, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid bucket name " + bucket, e);
        }
    }

    /** Opens {@code s3://bucket/prefix} with a client built from the environment; see {@link #open(URI, Options)}. */
    public static S3BlobStore open(URI uri) {
        return open(uri, Options.defaults());
    }

    /**
     * Opens {@code s3://bucket/prefix} with a client of its own, closed with the store: region from
     * {@code aws.region}/{@code AWS_REGION}, the default chain, else us-east-1; endpoint override (and then
     * path-style addressing) from {@code aws.endpointUrl}/{@code AWS_ENDPOINT_URL}; default credentials chain;
     * no SDK retries.
     */
    public static S3BlobStore open(URI uri, Options options) {
        requireS3Uri(uri); // before the region lookup, which may wait for instance metadata
        return open(uri, options, S3ClientSettings.fromEnvironment());
    }

    static S3BlobStore open(URI uri, Options options, S3ClientSettings settings) {
        requireS3Uri(uri);
        var path = uri.getPath() == null ? "" : uri.getPath();
        var client = buildClient(settings, options);
        try {
            return new S3BlobStore(
                    client, client, uri.getAuthority(), path.startsWith("/") ? path.substring(1) : path, options);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static void requireS3Uri(URI uri) {
        if (!"s3".equals(uri.getScheme()) || uri.getAuthority() == null) {
            throw new IllegalArgumentException("Not an s3://bucket/prefix URI: " + uri);
        }
    }

    static S3Client buildClient(S3ClientSettings settings, Options options) {
        var builder = S3Client.builder()
                .region(settings.region())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(options.connectTimeout()))
                .overrideConfiguration(c -> c.retryStrategy(retry -> retry.maxAttempts(1))
                        .apiCallAttemptTimeout(options.attemptTimeout())
                        .apiCallTimeout(options.callTimeout()))
                // Flexible checksums add trailers some S3-compatible servers reject; integrity is checked above us.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpointOverride()
                .ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    @Override
    public URI location() {
        return location;
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return write(key, data, "*");
    }

    @Override
    public void put(String key, byte[] data) {
        write(key, data, null);
    }

    @Override
    public byte[] get(String key) {
        var objectKey = objectKey(key);
        return call(
                "read blob %s from %s",
                key,
                () -> s3.getObject(b -> b.bucket(bucket).key(objectKey), ResponseTransformer.toBytes())
                        .asByteArrayUnsafe());
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        BlobKeys.requireValidRange(offset, length);
        var objectKey = objectKey(key);
        if (length == 0) {
            // An empty Range header is invalid; still report a missing blob as missing.
            stat(key).orElseThrow(() -> new BlobNotFoundException(key));
            return new byte[0];
        }
        var range = "bytes=%d-%d".formatted(offset, offset + length - 1);
        try {
            var response =
                    s3.getObject(b -> b.bucket(bucket).key(objectKey).range(range), ResponseTransformer.toBytes());
            var bytes = response.asByteArrayUnsafe();
            if (response.response().contentRange() == null) {
                // Some S3-compatible servers ignore Range and send the whole object.
                int from = (int) Math.min(offset, bytes.length);
                return Arrays.copyOfRange(bytes, from, (int) Math.min((long) from + length, bytes.length));
            }
            return bytes;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 416) {
                return new byte[0]; // the blob exists but ends at or before offset
            }
            throw translate("read blob %s from %s", key, e);
        } catch (SdkException e) {
            throw translate("read blob %s from %s", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        var objectKey = objectKey(key);
        try {
            var head = call(
                    "stat blob %s in %s",
                    key, () -> s3.headObject(b -> b.bucket(bucket).key(objectKey)));
            return Optional.of(new BlobInfo(key, head.contentLength(), head.lastModified()));
        } catch (BlobNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<BlobInfo> list(String keyPrefix) {
        requireOpen();
        BlobKeys.requireValidPrefix(keyPrefix);
        return call(
                "list blobs %s in %s",
                keyPrefix, () -> {
                    var found = new ArrayList<BlobInfo>();
                    var pages = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix));
                    for (var page : pages) {
                        for (S3Object object : page.contents()) {
                            // Keys ending in '/' are console "folders", not blobs.
                            if (!object.key().endsWith("/")) {
                                found.add(new BlobInfo(
                                        object.key().substring(prefix.length()), object.size(), object.lastModified()));
                            }
                        }
                    }
                    // S3 already lists in key order; other servers need not.
                    found.sort(Comparator.comparing(BlobInfo::key, BlobKeys.ORDER));
                    return List.copyOf(found);
                });
    }

    @Override
    public void delete(String key) {
        var objectKey = objectKey(key);
        call(
                "delete blob %s from %s",
                key, () -> s3.deleteObject(b -> b.bucket(bucket).key(objectKey)));
    }

    @Override
    public void close() {
        closed = true;
        if (ownedClient != null) {
            ownedClient.close();
        }
    }

    S3Client client() {
        return s3;
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + location + "]";
    }

    private String objectKey(String key) {
        requireOpen();
        return prefix + BlobKeys.requireValid(key);
    }

    private void requireOpen() {
        if (closed) {
            // Otherwise a closed client fails with whatever its HTTP layer throws, which looks like an outage.
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Writes a blob; with {@code ifNoneMatch} "*" only if absent, returning false when it already exists. */
    private boolean write(String key, byte[] data, @Nullable String ifNoneMatch) {
        var objectKey = objectKey(key);
        try {
            if (data.length <= options.multipartThreshold()) {
                s3.putObject(
                        b -> b.bucket(bucket)
                                .key(objectKey)
                                .ifNoneMatch(ifNoneMatch)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                        body(data, 0, data.length));
            } else {
                writeMultipart(objectKey, data, ifNoneMatch);
            }
            return true;
        } catch (SdkServiceException e) {
            if (ifNoneMatch != null && e.statusCode() == 412) {
                return false;
            }
            throw translate("write blob %s to %s", key, e);
        } catch (SdkException e) {
            throw translate("write blob %s to %s", key, e);
        }
    }

    private void writeMultipart(String objectKey, byte[] data, @Nullable String ifNoneMatch) {
        var uploadId = s3.createMultipartUpload(
                        b -> b.bucket(bucket).key(objectKey).checksumAlgorithm(ChecksumAlgorithm.CRC32_C))
                .uploadId();
        try {
            var parts = uploadParts(objectKey, uploadId, data);
            // The condition on Complete (not on Create) is what S3 checks, so a blob written by someone else
            // while our parts were uploading still makes this fail with 412 and is never replaced.
            s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(objectKey)
                    .uploadId(uploadId)
                    .ifNoneMatch(ifNoneMatch)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            // Parts of an unfinished upload are stored (and billed) until aborted.
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(String objectKey, String uploadId, byte[] data) {
        int partSize = options.partSize();
        int count = (int) ((data.length + (long) partSize - 1) / partSize);
        var threads = Thread.ofVirtual().name("s3-upload-part-", 1).factory();
        try (var executor = Executors.newFixedThreadPool(Math.min(count, options.maxConcurrentParts()), threads)) {
            var futures = new ArrayList<Future<CompletedPart>>(count);
            for (int i = 0; i < count; i++) {
                int partNumber = i + 1;
                int offset = i * partSize;
                int length = Math.min(partSize, data.length - offset);
                futures.add(executor.submit(() -> {
                    var response = s3.uploadPart(
                            b -> b.bucket(bucket)
                                    .key(objectKey)
                                    .uploadId(uploadId)
                                    .partNumber(partNumber)
                                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                            body(data, offset, length));
                    return CompletedPart.builder()
                            .partNumber(partNumber)
                            .eTag(response.eTag())
                            .checksumCRC32C(response.checksumCRC32C())
                            .build();
                }));
            }
            var parts = new ArrayList<CompletedPart>(count);
            try {
                for (var future : futures) {
                    parts.add(future.get());
                }
            } catch (ExecutionException e) {
                // Stop the other parts before the caller aborts the upload: a part finishing after the abort
                // would be stored again.
                executor.shutdownNow();
                throw e.getCause() instanceof RuntimeException cause
                        ? cause
                        : new BlobStoreException("Cannot upload part of " + objectKey + ": " + e.getCause(), e);
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
                throw new BlobStoreException("Interrupted while uploading " + objectKey, e);
            }
            return parts;
        }
    }

    // --- versions and Object Lock ------------------------------------------------------------------------------

    @Override
    public boolean isVersioned() {
        var known = versioned;
        if (known == null) {
            requireOpen();
            var status = call(
                            "read the versioning of %s in %s",
                            bucket, () -> s3.getBucketVersioning(b -> b.bucket(bucket)))
                    .status();
            known = status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
            versioned = known;
        }
        return known;
    }

    @Override
    public Optional<ObjectLockDefaults> objectLockDefaults() {
        var known = lockDefaults;
        if (known == null) {
            requireOpen();
            try {
                var configuration =
                        s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
                var rule = configuration == null ? null : configuration.rule();
                var retention = rule == null ? null : rule.defaultRetention();
                if (retention == null || retention.mode() == null) {
                    known = Optional.empty();
                } else {
                    int days = retention.days() != null ? retention.days() : 0;
                    int years = retention.years() != null ? retention.years() : 0;
                    var period = Duration.ofDays(days + 365L * years);
                    known = period.isZero()
                            ? Optional.empty()
                            : Optional.of(new ObjectLockDefaults(
                                    retention.mode() == ObjectLockRetentionMode.COMPLIANCE
                                            ? LockMode.COMPLIANCE
                                            : LockMode.GOVERNANCE,
                                    period));
                }
            } catch (SdkServiceException e) {
                var code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                        ? aws.awsErrorDetails().errorCode()
                        : "";
                if (!"ObjectLockConfigurationNotFoundError".equals(code) && e.statusCode() != 404) {
                    throw translate("read the Object Lock configuration of %s in %s", bucket, e);
                }
                known = Optional.empty();
            } catch (SdkException e) {
                throw translate("read the Object Lock configuration of %s in %s", bucket, e);
            }
            lockDefaults = known;
        }
        return known;
    }

    @Override
    public List<BlobVersion> listVersions(String keyPrefix) {
        requireOpen();
        BlobKeys.requireValidPrefix(keyPrefix);
        if (!isVersioned()) {
            return List.of();
        }
        return call(
                "list versions of %s in %s",
                keyPrefix, () -> {
                    var found = new ArrayList<BlobVersion>();
                    for (var page :
                            s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix))) {
                        for (var v : page.versions()) {
                            if (!v.key().endsWith("/")) {
                                found.add(new BlobVersion(
                                        v.key().substring(prefix.length()),
                                        v.versionId(),
                                        v.size(),
                                        v.lastModified(),
                                        false,
                                        Boolean.TRUE.equals(v.isLatest())));
                            }
                        }
                        for (var m : page.deleteMarkers()) {
                            found.add(new BlobVersion(
                                    m.key().substring(prefix.length()),
                                    m.versionId(),
                                    0,
                                    m.lastModified(),
                                    true,
                                    Boolean.TRUE.equals(m.isLatest())));
                        }
                    }
                    // Key order, newest first per key (S3 lists so, but versions and markers come apart).
                    found.sort(Comparator.comparing(BlobVersion::key, BlobKeys.ORDER)
                            .thenComparing(BlobVersion::latest, Comparator.reverseOrder())
                            .thenComparing(BlobVersion::lastModified, Comparator.reverseOrder()));
                    return List.copyOf(found);
                });
    }

    @Override
    public byte[] getVersion(String key, String versionId) {
        var objectKey = objectKey(key);
        return call(
                "read blob %s from %s",
                key,
                () -> s3.getObject(
                                b -> b.bucket(bucket).key(objectKey).versionId(versionId),
                                ResponseTransformer.toBytes())
                        .asByteArrayUnsafe());
    }

    @Override
    public byte[] getRangeVersion(String key, String versionId, long offset, int length) {
        BlobKeys.requireValidRange(offset, length);
        var objectKey = objectKey(key);
        if (length == 0) {
            return new byte[0];
        }
        var range = "bytes=%d-%d".formatted(offset, offset + length - 1);
        try {
            var response = s3.getObject(
                    b -> b.bucket(bucket).key(objectKey).versionId(versionId).range(range),
                    ResponseTransformer.toBytes());
            var bytes = response.asByteArrayUnsafe();
            if (response.response().contentRange() == null) {
                int from = (int) Math.min(offset, bytes.length);
                return Arrays.copyOfRange(bytes, from, (int) Math.min((long) from + length, bytes.length));
            }
            return bytes;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 416) {
                return new byte[0];
            }
            throw translate("read blob %s from %s", key, e);
        } catch (SdkException e) {
            throw translate("read blob %s from %s", key, e);
        }
    }

    @Override
    public void deleteVersion(String key, String versionId, boolean bypassGovernance) {
        var objectKey = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket)
                    .key(objectKey)
                    .versionId(versionId)
                    .bypassGovernanceRetention(bypassGovernance ? Boolean.TRUE : null));
        } catch (SdkServiceException e) {
            if (e.statusCode() == 403) {
                throw new ObjectLockedException(
                        "Cannot delete version " + versionId + " of blob " + key + " in " + location
                                + ": Object Lock protects it (" + e.getMessage() + ")",
                        e);
            }
            var failure = translate("delete a version of blob %s from %s", key, e);
            if (!(failure instanceof BlobNotFoundException)) {
                throw failure;
            }
        } catch (SdkException e) {
            throw translate("delete a version of blob %s from %s", key, e);
        }
    }

    @Override
    public void putRetention(
            String key, String versionId, LockMode mode, java.time.Instant until, boolean bypassGovernance) {
        var objectKey = objectKey(key);
        try {
            s3.putObjectRetention(b -> b.bucket(bucket)
                    .key(objectKey)
                    .versionId(versionId)
                    .bypassGovernanceRetention(bypassGovernance ? Boolean.TRUE : null)
                    .retention(r -> r.mode(
                                    mode == LockMode.COMPLIANCE
                                            ? ObjectLockRetentionMode.COMPLIANCE
                                            : ObjectLockRetentionMode.GOVERNANCE)
                            .retainUntilDate(until)));
        } catch (SdkServiceException e) {
            if (e.statusCode() == 403) {
                throw new ObjectLockedException(
                        "Cannot set the retention of version " + versionId + " of blob " + key + " in " + location
                                + ": " + e.getMessage(),
                        e);
            }
            throw translate("set the retention of blob %s in %s", key, e);
        } catch (SdkException e) {
            throw translate("set the retention of blob %s in %s", key, e);
        }
    }

    @Override
    public Optional<java.time.Instant> retention(String key, String versionId) {
        var objectKey = objectKey(key);
        try {
            var retention = s3.getObjectRetention(
                            b -> b.bucket(bucket).key(objectKey).versionId(versionId))
                    .retention();
            return retention == null ? Optional.empty() : Optional.ofNullable(retention.retainUntilDate());
        } catch (SdkException e) {
            // No retention, or a store that cannot say (moto answers 500 for bucket-default retention).
            return Optional.empty();
        }
    }

    @Override
    public void putLegalHold(String key, String versionId, boolean on) {
        var objectKey = objectKey(key);
        call(
                "set the legal hold of blob %s in %s",
                key,
                () -> s3.putObjectLegalHold(b -> b.bucket(bucket)
                        .key(objectKey)
                        .versionId(versionId)
                        .legalHold(h -> h.status(on ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF))));
    }

    private static RequestBody body(byte[] data, int offset, int length) {
        // A content provider streams the caller's array as is; RequestBody.fromBytes would copy it.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, offset, length), length, BINARY);
    }

    private <T> T call(String action, String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw translate(action, key, e);
        }
    }

    /** Sorts an SDK failure into not found, worth retrying, or final. */
    private BlobStoreException translate(String action, String key, SdkException e) {
        var code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode()
                : null;
        // The SDK's message carries S3's text and status but not its error code, which names the cause.
        var message = "Cannot %s: %s%s"
                .formatted(action.formatted(key, location), code == null ? "" : code + ": ", e.getMessage());
        if (e instanceof SdkServiceException service) {
            int status = service.statusCode();
            if (status == 404 && !"NoSuchBucket".equals(code) && !"NoSuchUpload".equals(code)) {
                return new BlobNotFoundException(key);
            }
            // 409 is ConditionalRequestConflict or OperationAborted: a concurrent write to the same key won
            // a race we can retry, after which a create-only write sees 412 or succeeds.
            if (service.isThrottlingException()
                    || status == 429
                    || status >= 500
                    || status == 409
                    || status == 408
                    || "RequestTimeout".equals(code)) {
                return new TransientBlobStoreException(message, e);
            }
            return new BlobStoreException(message, e);
        }
        if (e instanceof SdkClientException) {
            // Connection refused or reset, timeouts, I/O while streaming a body.
            return new TransientBlobStoreException(message, e);
        }
        return new BlobStoreException(message, e);
    }
}
