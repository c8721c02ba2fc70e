package io.cloudconnector.common.event;

import tools.jackson.databind.JsonNode;

/**
 * The message is an EventBridge event from AWS itself (e.g. {@code aws.ec2} state changes routed from
 * the default bus), not a connector event; it carries the event for handlers of such events.
 */
public class ForeignEventException extends MalformedEventException {

    private final String source;
    private final String detailType;
    private final String eventId;
    private final transient JsonNode event;

    public ForeignEventException(String source, String detailType, String eventId, JsonNode event) {
        super("Not a connector event: " + source + " / " + detailType);
        this.source = source;
        this.detailType = detailType;
        this.eventId = eventId;
        this.event = event;
    }

    /** The EventBridge source, e.g. {@code aws.ec2}. */
    public String source() {
        return source;
    }

    /** The EventBridge detail-type, e.g. {@code EC2 Instance State-change Notification}. */
    public String detailType() {
        return detailType;
    }

    /** The EventBridge event id (unique per event; the deduplication key). */
    public String eventId() {
        return eventId;
    }

    /** The whole EventBridge event. */
    public JsonNode event() {
        return event;
    }
}
