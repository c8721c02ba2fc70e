package io.cloudconnector.common.event;

/**
 * The message claims to be a connector event its sender may not produce: a {@code source} that is not one
 * of the type's producers in {@link EventProducers}, a {@code detail-type} that is not the envelope's
 * {@code type}, or a bare envelope (one that did not come through the bus) of a type that travels on the bus.
 * Such an event is dropped unhandled; retrying it will not help.
 */
public class ForgedEventException extends MalformedEventException {

    /** The {@code source} of a bare envelope, which names no sender. */
    public static final String NO_SOURCE = "";

    private final String source;
    private final String type;

    public ForgedEventException(String source, String type, String reason) {
        super("Forged event: " + reason);
        this.source = source;
        this.type = type;
    }

    /** The EventBridge source it came with; {@link #NO_SOURCE} for a bare envelope. */
    public String source() {
        return source;
    }

    /** The type it claims to be (the envelope's {@code type}, else its {@code detail-type}). */
    public String type() {
        return type;
    }
}
