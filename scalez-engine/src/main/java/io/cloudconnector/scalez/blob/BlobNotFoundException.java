package io.cloudconnector.scalez.blob;

/** The blob asked for does not exist. */
public class BlobNotFoundException extends BlobStoreException {

    public BlobNotFoundException(String key) {
        super("Blob " + key + " does not exist");
    }
}
