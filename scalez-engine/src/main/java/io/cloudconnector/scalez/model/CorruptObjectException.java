package io.cloudconnector.scalez.model;

import io.cloudconnector.scalez.ScalezException;

/** A stored object is damaged: it does not decrypt, does not hash to its id, or is cut short. */
public class CorruptObjectException extends ScalezException {

    private final String objectKey;

    public CorruptObjectException(String objectKey, String message) {
        super(objectKey + ": " + message);
        this.objectKey = objectKey;
    }

    /** The damaged object's key, e.g. {@code packs/3f/3f9a...} or {@code config}. */
    public String objectKey() {
        return objectKey;
    }
}
