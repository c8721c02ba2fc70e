package io.cloudconnector.common.messaging;

/** The event bus refused some events. */
public class EventPublishException extends RuntimeException {

    public EventPublishException(String message) {
        super(message);
    }
}
