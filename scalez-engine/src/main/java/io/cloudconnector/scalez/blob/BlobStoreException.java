package io.cloudconnector.scalez.blob;

import io.cloudconnector.scalez.ScalezException;

/** A blob store operation failed and trying again will not help. */
public class BlobStoreException extends ScalezException {

    public BlobStoreException(String message) {
        super(message);
    }

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
