package io.cloudconnector.catalog.vault;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Local mode only: the emulator's CloudFormation (moto 5.2.1) creates the vault's bucket without the
 * {@code VersioningConfiguration} and {@code ObjectLockConfiguration} the vault template gives it, so the catalog
 * applies them itself through the S3 API, on the new, empty bucket, before the repository is initialised. In AWS the
 * template does it and this never runs ({@link VaultStorage} calls it only against an emulator).
 */
final class EmulatorBucketLockShim {

    private static final Logger log = LoggerFactory.getLogger(EmulatorBucketLockShim.class);

    private EmulatorBucketLockShim() {}

    static void apply(S3Client s3, String bucket, @Nullable ObjectLock lock) {
        log.warn(
                "Emulator shim: versioning{} set on bucket {} through the S3 API (the emulator's CloudFormation"
                        + " ignores the template's bucket settings)",
                lock == null ? "" : " and Object Lock (" + lock.mode() + ", " + lock.days() + " days)",
                bucket);
        s3.putBucketVersioning(
                r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        if (lock != null && !locked(s3, bucket)) { // a retried creation finds it set (and the bucket no longer new)
            s3.putObjectLockConfiguration(r -> r.bucket(bucket)
                    .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(rule -> rule.defaultRetention(d -> d.mode(
                                            lock.mode() == ObjectLock.Mode.COMPLIANCE
                                                    ? ObjectLockRetentionMode.COMPLIANCE
                                                    : ObjectLockRetentionMode.GOVERNANCE)
                                    .days(lock.days())))));
        }
    }

    private static boolean locked(S3Client s3, String bucket) {
        try {
            var config = s3.getObjectLockConfiguration(r -> r.bucket(bucket)).objectLockConfiguration();
            return config != null && config.objectLockEnabled() == ObjectLockEnabled.ENABLED;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // ObjectLockConfigurationNotFoundError
                return false;
            }
            throw e;
        }
    }
}
