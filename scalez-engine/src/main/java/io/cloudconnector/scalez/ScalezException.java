package io.cloudconnector.scalez;

/** Root of every exception the ScaleZ engine throws. */
public class ScalezException extends RuntimeException {

    public ScalezException(String message) {
        super(message);
    }

    public ScalezException(String message, Throwable cause) {
        super(message, cause);
    }
}
