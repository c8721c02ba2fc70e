package io.cloudconnector.scalez;

/** Root of every exception the ScaleZ engine throws. */
public class ScalezException extends RuntimeException {

    public ScalezException(@org.jspecify.annotations.Nullable String message) {
        super(message);
    }

    public ScalezException(
            @org.jspecify.annotations.Nullable String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
    }
}
