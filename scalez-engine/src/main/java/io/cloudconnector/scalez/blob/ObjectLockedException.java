package io.cloudconnector.scalez.blob;

/**
 * The store refused to delete an object version or shorten its retention because Object Lock (a retention or a
 * legal hold) protects it (S3 answers {@code 403 AccessDenied} to such a request).
 */
public class ObjectLockedException extends BlobStoreException {

    public ObjectLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
