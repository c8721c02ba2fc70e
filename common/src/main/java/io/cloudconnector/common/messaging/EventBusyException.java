package io.cloudconnector.common.messaging;

/** Another consumer is handling this event right now; the message is left for a later redelivery. */
public class EventBusyException extends RuntimeException {

    public EventBusyException(String eventId, String type) {
        super("Event " + type + " " + eventId + " is being handled by another consumer; leaving it for redelivery");
    }
}
