package io.cloudconnector.scalez.blob;

/** A blob store operation failed in a way that may succeed when tried again (throttling, 5xx, I/O). */
public class TransientBlobStoreException extends BlobStoreException {

    public TransientBlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
