package io.cloudconnector.common.messaging;

import java.time.Duration;

/** Another consumer is handling this event right now; the message is left for a later redelivery. */
public class EventBusyException extends RuntimeException {

    private final Duration leaseLeft;

    public EventBusyException(String eventId, String type, Duration leaseLeft) {
        super("Event " + type + " " + eventId + " is being handled by another consumer (its lease holds for "
                + leaseLeft.toSeconds() + " s more); leaving it for redelivery");
        this.leaseLeft = leaseLeft;
    }

    /** How long the other consumer's processing lease still holds. */
    public Duration leaseLeft() {
        return leaseLeft;
    }
}
