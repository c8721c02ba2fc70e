package io.cloudconnector.scalez;

/** Bytes that do not follow the storage format: a damaged or foreign object. */
public class FormatException extends ScalezException {

    public FormatException(String message) {
        super(message);
    }
}
