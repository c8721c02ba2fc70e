package io.cloudconnector.common.event;

/** A message is not a well-formed event envelope; retrying it will not help. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
