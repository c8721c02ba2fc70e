package io.cloudconnector.common.event;

/** An event's type is unknown to this version of the connector (a newer producer, or a typo). */
public class UnknownEventTypeException extends MalformedEventException {

    private final String type;

    public UnknownEventTypeException(String type) {
        super("Unknown event type '" + type + "'");
        this.type = type;
    }

    /** The type that was not recognised. */
    public String type() {
        return type;
    }
}
