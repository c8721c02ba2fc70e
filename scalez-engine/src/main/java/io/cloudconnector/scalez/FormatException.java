package io.cloudconnector.scalez;

/** Bytes that do not follow the storage format: a damaged or foreign object. */
public class FormatException extends ScalezException {

    public FormatException(@org.jspecify.annotations.Nullable String message) {
        super(message);
    }
}
